#!/usr/bin/env python3
"""Reads a .keras archive with Python's zipfile, json and h5py (no Keras) and
prints what it holds as JSON: the members, config.json's top level, and every
dataset of model.weights.h5 with its shape and dtype, and every group's
attributes. Regula's tests run it on archives Regula wrote.

Usage: keras-h5-check.py archive.keras
"""
import io
import json
import sys
import zipfile

import h5py

with zipfile.ZipFile(sys.argv[1]) as zf:
    names = zf.namelist()
    config = json.loads(zf.read("config.json"))
    metadata = json.loads(zf.read("metadata.json"))
    h5 = h5py.File(io.BytesIO(zf.read("model.weights.h5")), "r")
    datasets, groups = {}, {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            datasets[name] = {"shape": list(obj.shape), "dtype": str(obj.dtype)}
        else:
            groups[name] = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in obj.attrs.items()}

    h5.visititems(visit)
    print(json.dumps({"members": names, "metadata": metadata, "class_name": config["class_name"], "datasets": datasets, "groups": groups}))
