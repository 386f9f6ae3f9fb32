"""The default embedder: the sentence-transformers model on OpenVINO with int8 weights and
activations (`<model>@openvino-int8`), about twice as fast as ONNX Runtime's int8 on a 2-core CPU
and four times torch.

The model is converted from its torch weights to OpenVINO, quantized by NNCF with its transformer
preset (the activation ranges measured on `index/calibration.txt`), then checked and cached
(`index/exported.py`).
"""

from __future__ import annotations

import threading
from collections import deque
from pathlib import Path

import numpy as np

from index.embed import OPENVINO_INT8, ModelUnavailable
from index.exported import Batches, ExportedEmbedder, Runner, calibration_texts, threads


class OpenVinoEmbedder(ExportedEmbedder):
    suffix = OPENVINO_INT8

    def _export(self, graph, sample: dict, folder: Path) -> None:
        ov = _openvino()
        import nncf

        model = ov.convert_model(graph, example_input=sample)
        texts = calibration_texts()
        batches = [
            {k: v.astype(np.int64) for k, v in self.torch.tokenizer(
                texts[i : i + 8], padding=True, truncation=True, max_length=self.torch.model.max_seq_length,
                return_tensors="np").items()}
            for i in range(0, len(texts), 8)
        ]  # fmt: skip
        quantized = nncf.quantize(
            model, nncf.Dataset(batches), model_type=nncf.ModelType.TRANSFORMER, subset_size=len(batches)
        )
        ov.save_model(quantized, str(folder / "model.xml"))

    def _load(self, folder: Path) -> Runner:
        ov = _openvino()
        core = ov.Core()
        streams = threads()
        compiled = core.compile_model(
            core.read_model(str(folder / "model.xml")),
            "CPU",
            {"NUM_STREAMS": streams, "INFERENCE_NUM_THREADS": threads()},
        )  # the precision of what is not int8 is OpenVINO's choice for the CPU (bfloat16 where it is native)
        local = threading.local()  # each thread keeps its own infer requests, made once

        def run(batches: Batches, out: np.ndarray) -> None:
            """Batches go to as many infer requests as streams, one thread each: two cores stay busy,
            and the next batch is tokenized while the last ones run. (No Python callbacks: a
            runtime thread waiting for the interpreter lock can deadlock the model's teardown.)"""
            if not hasattr(local, "requests"):
                local.requests = [compiled.create_infer_request() for _ in range(streams)]
            idle, running = list(local.requests), deque()
            for rows, feed in batches:
                if not idle:
                    idle.append(_collect(*running.popleft(), out))
                request = idle.pop()
                request.start_async(feed)
                running.append((request, rows))
            while running:
                _collect(*running.popleft(), out)

        return run


def _collect(request, rows: np.ndarray, out: np.ndarray):
    request.wait()
    out[rows] = request.get_output_tensor(0).data
    return request


def _openvino():
    try:
        import openvino
    except ImportError:
        raise ModelUnavailable(
            "the openvino-int8 embedder needs openvino and nncf (pip install -r requirements.txt)"
        ) from None
    return openvino
