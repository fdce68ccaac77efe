/**
 * `regula/study`: searches over regularization and sound comparisons, as a
 * library (the CLI's `regula tune` and `regula compare` use the same pieces).
 * Node only where a study lives in a journal file (JournalStorage) or in
 * PostgreSQL (PostgresStorage, which loads `pg` on first use); the
 * statistics, spaces, samplers, pruners and MemoryStorage run anywhere.
 * docs/tune.md, docs/semantics.md ("Comparing regimes", "Search and pruning").
 */
export { tune, bestTrial, recoverDeadTrials, type TuneOptions, type StudyResult, type TrialHandle, type Objective } from './tune.js';
export { MemoryStorage, JournalStorage, replay, parseJournal, type StudyStorage, type StudyState, type TrialRecord, type TrialState, type JournalEvent } from './journal.js';
export { openStudyStorage, studySettingsOf, type OpenStorageOptions } from './storage.js';
export { PostgresStorage, openPostgresStorage, StorageError, type PostgresStorageOptions } from './postgres.js';
export { spaceFromSpecs, spaceFromJson, parseDistribution, describeDistribution, describeParams, gridSize, SpaceError, PARAM_NAMES, type Space, type Param, type Params, type Distribution, type ParamName } from './space.js';
export { GridSampler, RandomSampler, TpeSampler, rankTrials, type Sampler, type Direction, type TpeOptions } from './samplers.js';
export * from './pruners.js';
export { correctedResampledTTest, repeatedStratifiedKFold, complementRows, studentTCdf, studentTQuantile, type PairedTest } from './stats.js';
export { fanovaImportance, importanceLine, type ImportanceOptions, type ImportanceResult, type ParamImportance, type ImportanceTrial } from './importance.js';
export { WorkerPool, InProcessRunner, createRunner, defaultWorkers, taskModule, type TaskRunner, type PoolTask, type TaskContext, type TaskFunction, type RunHooks, type PoolOptions } from './pool.js';
