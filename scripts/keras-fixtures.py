#!/usr/bin/env python3
"""Keras 3 `.keras` archives built without Keras (it cannot be installed here).

Writes, into the directory given (default test/fixtures/keras3), archives laid
out exactly as Keras 3's saving_lib writes them -- zip members metadata.json,
config.json, model.weights.h5 (h5py) -- with configs in Keras 3's serialized
form and random weights (numpy, fixed seed), plus `<name>.expected.json`: fixed
inputs and the outputs of an independent numpy forward pass over the same
weights. Regula's tests load the archives and compare predictions.

Archives:
  mlp.keras          Sequential MLP classifier (Dense/Dropout/Dense softmax), compiled (Adam)
  cnn.keras          Sequential CNN classifier (Conv2D/MaxPooling2D/Conv2D/Flatten/Dropout/Dense)
  functional.keras   Functional: two Dense branches, Concatenate, BatchNormalization, Dense
  mlp-old.keras      the MLP as early Keras 3 writes it: no `name` attributes, string dtype
  mlp-lazy.keras     the MLP without the empty `vars` groups (written lazily, Keras 3.5-ish)
  mlp-sharded.keras  the MLP with sharded weights: model.weights.json + model_0000k.weights.h5

Needs python3-h5py and python3-numpy (Debian). Usage: keras-fixtures.py [outdir]
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np

rng = np.random.default_rng(20240514)


def policy(name="float32"):
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": name}, "registered_name": None}


def init(cls, **config):
    return {"module": "keras.initializers", "class_name": cls, "config": config, "registered_name": None}


def layer(cls, name, config, build_shape=None, old=False):
    base = {"name": name, "trainable": True, "dtype": "float32" if old else policy()}
    base.update(config)
    out = {"module": "keras.layers", "class_name": cls, "config": base, "registered_name": None}
    if build_shape is not None:
        out["build_config"] = {"input_shape": build_shape}
    return out


def input_layer(name, shape):
    return {"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": shape, "dtype": "float32", "sparse": False, "ragged": False, "name": name}, "registered_name": None}


def dense(name, units, activation, shape, old=False, l2=None):
    reg = None if l2 is None else {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": l2}, "registered_name": None}
    return layer("Dense", name, {
        "units": units, "activation": activation, "use_bias": True,
        "kernel_initializer": init("GlorotUniform", seed=None), "bias_initializer": init("Zeros"),
        "kernel_regularizer": reg, "bias_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
    }, shape, old)


def dropout(name, rate, shape, old=False):
    return layer("Dropout", name, {"rate": rate, "seed": None, "noise_shape": None}, shape, old)


def sequential(name, layers, shape, compile_config=None):
    out = {"module": "keras", "class_name": "Sequential", "config": {"name": name, "trainable": True, "dtype": policy(), "layers": layers, "build_input_shape": shape}, "registered_name": None, "build_config": {"input_shape": shape}}
    if compile_config is not None:
        out["compile_config"] = compile_config
    return out


ADAM = {"module": "keras.optimizers", "class_name": "Adam", "config": {"name": "adam", "learning_rate": 0.0005, "weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None, "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None, "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}, "registered_name": None}
COMPILE = {"optimizer": ADAM, "loss": "sparse_categorical_crossentropy", "loss_weights": None, "metrics": ["accuracy"], "weighted_metrics": None, "run_eagerly": False, "steps_per_execution": 1, "jit_compile": False}


def weights(shape, scale=0.5):
    return (rng.standard_normal(shape) * scale).astype(np.float32)


# ---- numpy forward pass ----
def relu(x):
    return np.maximum(x, 0)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def conv2d(x, k, b, padding):
    kh, kw = k.shape[:2]
    if padding == "same":
        ph, pw = kh - 1, kw - 1
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    n, h, w, _ = x.shape
    oh, ow = h - kh + 1, w - kw + 1
    out = np.zeros((n, oh, ow, k.shape[3]), dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,co->nhwo", x[:, i:i + oh, j:j + ow, :], k[i, j])
    return out + b


def maxpool2(x):
    n, h, w, c = x.shape
    h2, w2 = h // 2, w // 2
    return x[:, :h2 * 2, :w2 * 2, :].reshape(n, h2, 2, w2, 2, c).max(axis=(2, 4))


# ---- writing ----
def write_h5(entries, lazy=False, names=True):
    """entries: list of (inner path, name, [arrays]). Returns h5 bytes."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for path, name, arrays in entries:
            if lazy and not arrays:
                continue
            g = f.create_group("vars") if path == "" else f.create_group(path).create_group("vars")
            if names:
                g.attrs["name"] = name
            for i, a in enumerate(arrays):
                g[str(i)] = a
    return buf.getvalue()


def write_sharded(entries, max_vars=3):
    """Shards of at most `max_vars` datasets each; returns (weights.json text, {shard name: bytes})."""
    shards, current, count, weight_map = {}, [], 0, {}
    groups = []
    for path, name, arrays in entries:
        groups.append((path, name, arrays))
    buckets, bucket, n = [], [], 0
    for g in groups:
        if bucket and n + len(g[2]) > max_vars:
            buckets.append(bucket)
            bucket, n = [], 0
        bucket.append(g)
        n += len(g[2])
    buckets.append(bucket)
    total = 0
    for k, b in enumerate(buckets):
        fname = f"model_{k:05}.weights.h5"
        shards[fname] = write_h5(b)
        for path, _, arrays in b:
            weight_map["/vars" if path == "" else f"/{path}/vars"] = fname
            total += sum(a.nbytes for a in arrays)
    return json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=4), shards


def write_archive(path, config, entries, keras_version="3.8.0", lazy=False, names=True, sharded=False):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("metadata.json", json.dumps({"keras_version": keras_version, "date_saved": "2024-05-14@12:00:00"}))
        zf.writestr("config.json", json.dumps(config))
        if sharded:
            index, shards = write_sharded(entries)
            zf.writestr("model.weights.json", index)
            for name, data in shards.items():
                zf.writestr(name, data)
        else:
            zf.writestr("model.weights.h5", write_h5(entries, lazy=lazy, names=names))


def write_expected(path, x, y):
    with open(path, "w") as f:
        json.dump({"input_shape": list(x.shape), "input": x.ravel().tolist(), "output_shape": list(y.shape), "output": y.ravel().tolist()}, f)


def mlp(out, variant=""):
    old = variant == "old"
    w1, b1, w2, b2 = weights((8, 16)), weights((16,), 0.1), weights((16, 3)), weights((3,), 0.1)
    layers = [input_layer("input_layer", [None, 8]), dense("dense", 16, "relu", [None, 8], old, l2=0.001), dropout("dropout", 0.3, [None, 16], old), dense("dense_1", 3, "softmax", [None, 16], old)]
    config = sequential("sequential", layers, [None, 8], COMPILE)
    # Adam after 7 steps: iteration, learning rate, then (momentum, velocity) per trainable variable.
    opt = [np.array(7, dtype=np.int64), np.array(0.0005, dtype=np.float32)]
    for v in (w1, b1, w2, b2):
        opt += [weights(v.shape, 0.01), np.abs(weights(v.shape, 0.01))]
    entries = [("", "sequential", []), ("layers/dense", "dense", [w1, b1]), ("layers/dropout", "dropout", []), ("layers/dense_1", "dense_1", [w2, b2]), ("optimizer", "adam", opt)]
    name = "mlp" + (f"-{variant}" if variant else "")
    write_archive(os.path.join(out, f"{name}.keras"), config, entries, keras_version="3.0.5" if old else "3.8.0", lazy=variant == "lazy", names=not old, sharded=variant == "sharded")
    x = rng.standard_normal((5, 8)).astype(np.float32)
    y = softmax(relu(x.astype(np.float64) @ w1 + b1) @ w2 + b2)
    write_expected(os.path.join(out, f"{name}.expected.json"), x, y)


def conv_layer(name, filters, k, padding, activation, shape):
    return layer("Conv2D", name, {
        "filters": filters, "kernel_size": [k, k], "strides": [1, 1], "padding": padding, "data_format": "channels_last",
        "dilation_rate": [1, 1], "groups": 1, "activation": activation, "use_bias": True,
        "kernel_initializer": init("GlorotUniform", seed=None), "bias_initializer": init("Zeros"),
        "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None,
    }, shape)


def cnn(out):
    k1, c1, k2, c2 = weights((3, 3, 1, 4)), weights((4,), 0.1), weights((3, 3, 4, 6)), weights((6,), 0.1)
    wd, bd = weights((24, 10), 0.3), weights((10,), 0.1)
    layers = [
        input_layer("input_layer", [None, 12, 12, 1]),
        conv_layer("conv2d", 4, 3, "valid", "relu", [None, 12, 12, 1]),
        layer("MaxPooling2D", "max_pooling2d", {"pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, [None, 10, 10, 4]),
        conv_layer("conv2d_1", 6, 3, "same", "relu", [None, 5, 5, 4]),
        layer("MaxPooling2D", "max_pooling2d_1", {"pool_size": [2, 2], "padding": "valid", "strides": [2, 2], "data_format": "channels_last"}, [None, 5, 5, 6]),
        layer("Flatten", "flatten", {"data_format": "channels_last"}, [None, 2, 2, 6]),
        dropout("dropout", 0.5, [None, 24]),
        dense("dense", 10, "softmax", [None, 24]),
    ]
    config = sequential("cnn", layers, [None, 12, 12, 1])
    entries = [("", "cnn", []), ("layers/conv2d", "conv2d", [k1, c1]), ("layers/max_pooling2d", "max_pooling2d", []), ("layers/conv2d_1", "conv2d_1", [k2, c2]), ("layers/max_pooling2d_1", "max_pooling2d_1", []), ("layers/flatten", "flatten", []), ("layers/dropout", "dropout", []), ("layers/dense", "dense", [wd, bd])]
    write_archive(os.path.join(out, "cnn.keras"), config, entries)
    x = rng.random((3, 12, 12, 1)).astype(np.float32)
    h = maxpool2(relu(conv2d(x.astype(np.float64), k1, c1, "valid")))
    h = maxpool2(relu(conv2d(h, k2, c2, "same")))
    y = softmax(h.reshape(h.shape[0], -1) @ wd + bd)
    write_expected(os.path.join(out, "cnn.expected.json"), x, y)


def ktensor(shape, history):
    return {"class_name": "__keras_tensor__", "config": {"shape": shape, "dtype": "float32", "keras_history": history}}


def functional(out):
    wa, ba, wb, bb = weights((6, 5)), weights((5,), 0.1), weights((6, 3)), weights((3,), 0.1)
    gamma, beta = 1 + weights((8,), 0.1), weights((8,), 0.1)
    mean, var = weights((8,), 0.2), 0.5 + np.abs(weights((8,), 0.3))
    wo, bo = weights((8, 2)), weights((2,), 0.1)

    def node(*tensors, listed=False):
        return {"args": [list(tensors) if listed else tensors[0]], "kwargs": {}}

    def entry(obj, inbound):
        obj["name"] = obj["config"]["name"]
        obj["inbound_nodes"] = inbound
        return obj

    bn = layer("BatchNormalization", "batch_normalization", {
        "axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": True, "scale": True,
        "beta_initializer": init("Zeros"), "gamma_initializer": init("Ones"), "moving_mean_initializer": init("Zeros"), "moving_variance_initializer": init("Ones"),
        "beta_regularizer": None, "gamma_regularizer": None, "beta_constraint": None, "gamma_constraint": None, "synchronized": False,
    }, [None, 8])
    layers = [
        entry(input_layer("features", [None, 6]), []),
        entry(dense("branch_a", 5, "tanh", [None, 6]), [node(ktensor([None, 6], ["features", 0, 0]))]),
        entry(dense("branch_b", 3, "relu", [None, 6]), [node(ktensor([None, 6], ["features", 0, 0]))]),
        entry(layer("Concatenate", "concatenate", {"axis": -1}, [[None, 5], [None, 3]]), [node(ktensor([None, 5], ["branch_a", 0, 0]), ktensor([None, 3], ["branch_b", 0, 0]), listed=True)]),
        entry(bn, [node(ktensor([None, 8], ["concatenate", 0, 0]))]),
        entry(dense("head", 2, "linear", [None, 8]), [node(ktensor([None, 8], ["batch_normalization", 0, 0]))]),
    ]
    config = {"module": "keras.src.models.functional", "class_name": "Functional", "config": {"name": "functional", "trainable": True, "layers": layers, "input_layers": [["features", 0, 0]], "output_layers": [["head", 0, 0]]}, "registered_name": "Functional", "build_config": {"input_shape": None}}
    # Keras's layer order (decreasing depth, ties in traversal order): features, branch_a, branch_b, concatenate, batch_normalization, head.
    entries = [("", "functional", []), ("layers/input_layer", "features", []), ("layers/dense", "branch_a", [wa, ba]), ("layers/dense_1", "branch_b", [wb, bb]), ("layers/concatenate", "concatenate", []), ("layers/batch_normalization", "batch_normalization", [gamma, beta, mean, var]), ("layers/dense_2", "head", [wo, bo])]
    write_archive(os.path.join(out, "functional.keras"), config, entries)
    x = rng.standard_normal((4, 6)).astype(np.float32)
    x64 = x.astype(np.float64)
    h = np.concatenate([np.tanh(x64 @ wa + ba), relu(x64 @ wb + bb)], axis=-1)
    h = gamma * (h - mean) / np.sqrt(var + 0.001) + beta
    write_expected(os.path.join(out, "functional.expected.json"), x, h @ wo + bo)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "keras3")
    os.makedirs(out, exist_ok=True)
    for variant in ("", "old", "lazy", "sharded"):
        global rng
        rng = np.random.default_rng(20240514)
        mlp(out, variant)
    cnn(out)
    functional(out)
    print(f"keras-fixtures: wrote 6 archives to {out}")


if __name__ == "__main__":
    main()
