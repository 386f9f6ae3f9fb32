"""The embedder on ONNX Runtime with int8 weights (`<model>@onnx-int8`): about twice as fast as
torch on a small CPU, for machines where OpenVINO is not wanted.

The model is exported to ONNX and its matrix products quantized to int8 per channel (weights
only: the activations are quantized on the fly), then checked and cached (`index/exported.py`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.embed import ONNX_INT8, ModelUnavailable
from index.exported import Batches, ExportedEmbedder, Runner, threads


class OnnxEmbedder(ExportedEmbedder):
    suffix = ONNX_INT8

    def _export(self, graph, sample: dict, folder: Path) -> None:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic

        inputs = tuple(sample)
        plain = folder / "plain.onnx"
        torch.onnx.export(
            graph, tuple(sample.values()), str(plain), input_names=list(inputs), output_names=["embedding"],
            opset_version=17, dynamo=False,
            dynamic_axes={**{k: {0: "batch", 1: "tokens"} for k in inputs}, "embedding": {0: "batch"}},
        )  # fmt: skip
        quantize_dynamic(
            plain, folder / "model-int8.onnx", weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"],
            per_channel=True,
        )  # fmt: skip
        plain.unlink()

    def _load(self, folder: Path) -> Runner:
        try:
            import onnxruntime as ort
        except ImportError:
            raise ModelUnavailable(
                "the onnx-int8 embedder needs onnxruntime (pip install -r requirements.txt)"
            ) from None
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads()
        session = ort.InferenceSession(str(folder / "model-int8.onnx"), options, providers=["CPUExecutionProvider"])
        wanted = {i.name for i in session.get_inputs()}

        def run(batches: Batches, out: np.ndarray) -> None:
            for rows, feed in batches:
                out[rows] = session.run(None, {k: v for k, v in feed.items() if k in wanted})[0]

        return run
