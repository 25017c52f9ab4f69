#!/usr/bin/env python3
"""Golden values for the MLP kernels, from PyTorch in float64: an oracle independent of our code.

For small nets on small fixed inputs it writes, per case, the mean cross-entropy (plus the L2
term), the gradient of the summed cross-entropy, the softmax probabilities, and the weights after
three Adam steps on the objective (mean cross-entropy plus L2), all in the flat weight layout of
dev.leakyspark.nn.Network: per layer, the out x in weight matrix in column-major order, then the
out biases. NetworkOracleTest compares the Java kernels with these values at 1e-10 relative.

Regenerate (Debian: apt-get install python3-torch), from the project root:
    /usr/bin/python3 src/test/oracle/torch_oracle.py src/test/resources/oracle
"""
import json
import math
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

ROWS = 6
LEARNING_RATE = 0.05
ADAM_STEPS = 3

# name, layers, alpha, L2 regParam
CASES = [
    ("alpha-0.01", [3, 4, 3], 0.01, 0.0),
    ("alpha-0", [3, 4, 3], 0.0, 0.0),
    ("alpha-minus-0.5", [3, 4, 3], -0.5, 0.0),
    ("alpha-2", [3, 4, 3], 2.0, 0.0),
    ("two-hidden", [3, 5, 4, 3], 0.01, 0.0),
    ("l2", [3, 4, 3], 0.01, 0.1),
]


def features(n, dims):
    """Row 0 is all zeros, so that a hidden unit with a zero bias sees exactly 0 (the gradient at
    0 is alpha, as PyTorch's leaky_relu_backward has it); the others mix signs."""
    return [[0.0] * dims] + [[math.sin(1.3 * i + 0.7 * j) * (1 + j) for j in range(dims)]
                             for i in range(1, n)]


def flat_weights(layers):
    """Deterministic weights in the flat layout; the first bias of the first layer is 0."""
    flat = []
    for l in range(len(layers) - 1):
        n_in, n_out = layers[l], layers[l + 1]
        flat += [0.6 * math.cos(0.9 * k + l) for k in range(n_in * n_out)]
        flat += [0.0] + [0.1 * math.sin(k + 2 * l) for k in range(1, n_out)]
    return flat


def unflatten(flat, layers):
    """Per layer, a (out, in) weight matrix and a bias vector, as tensors that track gradients."""
    params, offset = [], 0
    for l in range(len(layers) - 1):
        n_in, n_out = layers[l], layers[l + 1]
        w = torch.tensor(flat[offset:offset + n_in * n_out]).reshape(n_in, n_out).T.contiguous()
        offset += n_in * n_out
        b = torch.tensor(flat[offset:offset + n_out])
        offset += n_out
        params += [w.requires_grad_(), b.requires_grad_()]
    return params


def flatten(tensors):
    """Back to the flat layout: weight matrices column-major, then biases."""
    out = []
    for i, t in enumerate(tensors):
        out += (t.T.reshape(-1) if i % 2 == 0 else t).tolist()
    return out


def scores(params, x, alpha):
    a = x
    for l in range(0, len(params), 2):
        z = a @ params[l].T + params[l + 1]
        a = F.leaky_relu(z, negative_slope=alpha) if l + 2 < len(params) else z
    return a


def l2(params, reg):
    return reg / 2 * sum((params[l] ** 2).sum() for l in range(0, len(params), 2))


def case(layers, alpha, reg):
    x = torch.tensor(features(ROWS, layers[0]))
    y = torch.tensor([i % layers[-1] for i in range(ROWS)])
    flat = flat_weights(layers)

    params = unflatten(flat, layers)
    logits = scores(params, x, alpha)
    summed = F.cross_entropy(logits, y, reduction="sum")
    summed.backward()
    gradient = flatten([p.grad for p in params])
    objective = (summed / ROWS + l2(params, reg)).item()
    probabilities = F.softmax(logits, dim=1).detach()

    params = unflatten(flat, layers)
    adam = torch.optim.Adam(params, lr=LEARNING_RATE)
    steps = []
    for _ in range(ADAM_STEPS):
        adam.zero_grad()
        loss = F.cross_entropy(scores(params, x, alpha), y, reduction="mean") + l2(params, reg)
        loss.backward()
        adam.step()
        steps.append(flatten([p.detach() for p in params]))

    return {
        "layers": layers, "alpha": alpha, "regParam": reg, "learningRate": LEARNING_RATE,
        "features": x.reshape(-1).tolist(), "labels": y.tolist(), "weights": flat,
        "objective": objective, "summedCrossEntropy": summed.item(), "gradient": gradient,
        "probabilities": probabilities.reshape(-1).tolist(), "adamSteps": steps,
        "torch": torch.__version__,
    }


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    for name, layers, alpha, reg in CASES:
        values = case(layers, alpha, reg)
        text = "{\n" + ",\n".join(" %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in values.items()) + "\n}\n"
        (out / ("torch-" + name + ".json")).write_text(text)
        print("wrote", out / ("torch-" + name + ".json"))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/oracle"))
