/**
 * Pieces shared by BatchNormalization and LayerNormalization (helper values,
 * not a base class): gamma/beta options, their resolution and config entries,
 * and the broadcast shape of a per-feature parameter.
 */
import type { InitializerArg, ConstraintArg, RegularizerArg } from './weight-args.js';
import type { ConfigReader } from './args.js';
import type { Constraint, Initializer, Regularizer } from './layer.js';
import { deserialize, resolveInitializer, serialize } from './serialization.js';

export interface GammaBetaArgs {
  /** Learn a shift beta (default true). */
  center?: boolean;
  /** Learn a scale gamma (default true). */
  scale?: boolean;
  /** Default zeros. */
  betaInitializer?: InitializerArg;
  /** Default ones. */
  gammaInitializer?: InitializerArg;
  betaRegularizer?: RegularizerArg;
  gammaRegularizer?: RegularizerArg;
  betaConstraint?: ConstraintArg;
  gammaConstraint?: ConstraintArg;
}

export const GAMMA_BETA_KEYS = ['center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint'] as const;

export interface GammaBeta {
  betaInitializer: Initializer;
  gammaInitializer: Initializer;
  betaRegularizer: Regularizer | undefined;
  gammaRegularizer: Regularizer | undefined;
  betaConstraint: Constraint | undefined;
  gammaConstraint: Constraint | undefined;
}

export function resolveGammaBeta(layer: string, a: GammaBetaArgs): GammaBeta {
  return {
    betaInitializer: resolveInitializer(a.betaInitializer, 'zeros', `${layer} betaInitializer`),
    gammaInitializer: resolveInitializer(a.gammaInitializer, 'ones', `${layer} gammaInitializer`),
    betaRegularizer: deserialize('regularizer', a.betaRegularizer, `${layer} betaRegularizer`),
    gammaRegularizer: deserialize('regularizer', a.gammaRegularizer, `${layer} gammaRegularizer`),
    betaConstraint: deserialize('constraint', a.betaConstraint, `${layer} betaConstraint`),
    gammaConstraint: deserialize('constraint', a.gammaConstraint, `${layer} gammaConstraint`),
  };
}

/** Reads center, scale and the six gamma/beta keys of a config. */
export function gammaBetaFromConfig(r: ConfigReader): GammaBetaArgs {
  const out: Record<string, unknown> = {};
  const pairs: [keyof GammaBetaArgs, string][] = [
    ['center', 'center'],
    ['scale', 'scale'],
    ['betaInitializer', 'beta_initializer'],
    ['gammaInitializer', 'gamma_initializer'],
    ['betaRegularizer', 'beta_regularizer'],
    ['gammaRegularizer', 'gamma_regularizer'],
    ['betaConstraint', 'beta_constraint'],
    ['gammaConstraint', 'gamma_constraint'],
  ];
  for (const [k, key] of pairs) {
    const v = r.get(key);
    if (v !== undefined) out[k] = v;
  }
  return out as GammaBetaArgs;
}

/** Config entries (TF.js key names). */
export function gammaBetaConfig(g: GammaBeta, withConstraints: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    beta_initializer: g.betaInitializer.getConfig(),
    gamma_initializer: g.gammaInitializer.getConfig(),
    beta_regularizer: serialize(g.betaRegularizer),
    gamma_regularizer: serialize(g.gammaRegularizer),
  };
  if (withConstraints || g.betaConstraint || g.gammaConstraint) {
    out['beta_constraint'] = serialize(g.betaConstraint);
    out['gamma_constraint'] = serialize(g.gammaConstraint);
  }
  return out;
}

/** [1, …, d_a, …, 1]: the shape a parameter over `axes` broadcasts from, for an input of `rank`. */
export function broadcastShape(inputShape: readonly number[], axes: readonly number[]): number[] {
  return inputShape.map((d, i) => (axes.includes(i) ? d : 1));
}
