#!/usr/bin/env python3
"""Golden values for the MLP kernels, from PyTorch in float64: an oracle independent of our code.

For small nets on small fixed inputs it writes, per case, the mean loss (plus the L2 term), the
gradient of the summed loss, the outputs (softmax probabilities for cross-entropy, the output for
squared error), and the weights after three Adam steps on the objective (mean loss plus L2; the
first-layer columns of features that are zero in every row, and their moments, put back after
each step), all in the flat weight layout of
dev.leakyspark.nn.Network: per layer, the out x in weight matrix in column-major order, then the
out biases. NetworkOracleTest compares the Java kernels with these values at 1e-10 relative.

The dropout cases (dropout-*.json, DropoutOracleTest) fix the masks: each hidden unit of each row
is kept (times 1 / (1 - rate)) or dropped by a formula written into the file, and the loss and its
gradient are PyTorch's with those masks on the hidden activations.

Regenerate (Debian: apt-get install python3-torch), from the project root:
    /usr/bin/python3 src/test/oracle/torch_oracle.py src/test/resources/oracle
(add "dropout" after the folder to write the dropout cases alone)
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

CROSS_ENTROPY = "cross-entropy"
SQUARED_ERROR = "squared-error"

# name, layers, alpha, L2 regParam, loss
CASES = [
    ("alpha-0.01", [3, 4, 3], 0.01, 0.0, CROSS_ENTROPY),
    ("alpha-0", [3, 4, 3], 0.0, 0.0, CROSS_ENTROPY),
    ("alpha-minus-0.5", [3, 4, 3], -0.5, 0.0, CROSS_ENTROPY),
    ("alpha-2", [3, 4, 3], 2.0, 0.0, CROSS_ENTROPY),
    ("two-hidden", [3, 5, 4, 3], 0.01, 0.0, CROSS_ENTROPY),
    ("l2", [3, 4, 3], 0.01, 0.1, CROSS_ENTROPY),
    ("squared-error", [3, 4, 1], 0.01, 0.0, SQUARED_ERROR),
    ("squared-error-two-hidden-l2", [3, 5, 4, 1], -0.5, 0.1, SQUARED_ERROR),
    # sparse rows: features 5 and 6 are zero in every row, so Adam leaves their first-layer columns
    ("sparse-l2", [8, 4, 3], 0.01, 0.1, CROSS_ENTROPY),
]

# features zero in every row of the sparse case
INACTIVE = [5, 6]


def features(n, dims):
    """Row 0 is all zeros, so that a hidden unit with a zero bias sees exactly 0 (the gradient at
    0 is alpha, as PyTorch's leaky_relu_backward has it); the others mix signs."""
    return [[0.0] * dims] + [[math.sin(1.3 * i + 0.7 * j) * (1 + j) for j in range(dims)]
                             for i in range(1, n)]


def sparse_features(n, dims):
    """Rows with two or three non-zeros each, none at the INACTIVE features; row 0 is all zeros."""
    rows = [[0.0] * dims]
    for i in range(1, n):
        row = [0.0] * dims
        for j in (i % dims, (3 * i + 1) % dims, (5 * i + 2) % dims):
            if j not in INACTIVE:
                row[j] = math.sin(1.3 * i + 0.7 * j) * (1 + j)
        rows.append(row)
    return rows


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


def scores(params, x, alpha, masks=None):
    a = x
    for l in range(0, len(params), 2):
        z = a @ params[l].T + params[l + 1]
        a = F.leaky_relu(z, negative_slope=alpha) if l + 2 < len(params) else z
        if masks is not None and l + 2 < len(params):
            a = a * masks[l // 2]
    return a


def l2(params, reg):
    return reg / 2 * sum((params[l] ** 2).sum() for l in range(0, len(params), 2))


def summed_loss(outputs, y, loss):
    """Cross-entropy of the softmax against class indices, or half the squared error of the one
    output, summed over the rows."""
    if loss == CROSS_ENTROPY:
        return F.cross_entropy(outputs, y, reduction="sum")
    return 0.5 * F.mse_loss(outputs[:, 0], y, reduction="sum")


def case(name, layers, alpha, reg, loss):
    sparse = name.startswith("sparse")
    x = torch.tensor(sparse_features(ROWS, layers[0]) if sparse else features(ROWS, layers[0]))
    if loss == CROSS_ENTROPY:
        y = torch.tensor([i % layers[-1] for i in range(ROWS)])
    else:
        y = torch.tensor([2.5 * math.sin(0.9 * i) + 0.5 for i in range(ROWS)])
    flat = flat_weights(layers)

    params = unflatten(flat, layers)
    z = scores(params, x, alpha)
    summed = summed_loss(z, y, loss)
    summed.backward()
    gradient = flatten([p.grad for p in params])
    objective = (summed / ROWS + l2(params, reg)).item()
    outputs = (F.softmax(z, dim=1) if loss == CROSS_ENTROPY else z).detach()

    params = unflatten(flat, layers)
    adam = torch.optim.Adam(params, lr=LEARNING_RATE)
    # features zero in every row: their first-layer columns, and the Adam moments there, are put
    # back after each step (lazy Adam, as leaky-spark's Adam.step on a block)
    inactive = [j for j in range(layers[0]) if all(row[j] == 0 for row in x.tolist())]
    steps = []
    for _ in range(ADAM_STEPS):
        adam.zero_grad()
        mean = summed_loss(scores(params, x, alpha), y, loss) / ROWS + l2(params, reg)
        mean.backward()
        first = params[0]
        kept = [first.detach()[:, inactive].clone()]
        if first in adam.state:
            kept += [adam.state[first]["exp_avg"][:, inactive].clone(),
                     adam.state[first]["exp_avg_sq"][:, inactive].clone()]
        adam.step()
        with torch.no_grad():
            first[:, inactive] = kept[0]
            if len(kept) == 3:
                adam.state[first]["exp_avg"][:, inactive] = kept[1]
                adam.state[first]["exp_avg_sq"][:, inactive] = kept[2]
            else:  # the first step creates the moments from zero
                adam.state[first]["exp_avg"][:, inactive] = 0
                adam.state[first]["exp_avg_sq"][:, inactive] = 0
        steps.append(flatten([p.detach() for p in params]))

    return {
        "layers": layers, "alpha": alpha, "regParam": reg, "loss": loss,
        "learningRate": LEARNING_RATE, "features": x.reshape(-1).tolist(),
        "labels": [float(v) for v in y.tolist()], "inactive": inactive, "weights": flat, "objective": objective,
        "summedLoss": summed.item(), "gradient": gradient,
        "outputs": outputs.reshape(-1).tolist(), "adamSteps": steps,
        "torch": torch.__version__,
    }


# name, layers, alpha, loss, dropout rate
DROPOUT_CASES = [
    ("two-hidden", [3, 5, 4, 3], 0.01, CROSS_ENTROPY, 0.25),
    ("squared-error", [3, 6, 1], -0.5, SQUARED_ERROR, 0.5),
]


def dropout_masks(layers, rate):
    """Per hidden layer, a (rows, units) tensor: unit r of row i in hidden layer h is dropped when
    (7 i + 3 r + 5 h) mod 4 == 0, and kept times 1 / (1 - rate) otherwise."""
    return [torch.tensor([[0.0 if (7 * i + 3 * r + 5 * h) % 4 == 0 else 1 / (1 - rate)
                           for r in range(layers[h])] for i in range(ROWS)])
            for h in range(1, len(layers) - 1)]


def dropout_case(layers, alpha, loss, rate):
    x = torch.tensor(features(ROWS, layers[0]))
    if loss == CROSS_ENTROPY:
        y = torch.tensor([i % layers[-1] for i in range(ROWS)])
    else:
        y = torch.tensor([2.5 * math.sin(0.9 * i) + 0.5 for i in range(ROWS)])
    flat = flat_weights(layers)
    masks = dropout_masks(layers, rate)
    params = unflatten(flat, layers)
    summed = summed_loss(scores(params, x, alpha, masks), y, loss)
    summed.backward()
    return {
        "layers": layers, "alpha": alpha, "loss": loss, "rate": rate,
        "features": x.reshape(-1).tolist(), "labels": [float(v) for v in y.tolist()], "weights": flat,
        # per hidden layer, row after row: as the network's column-major activations
        "masks": [m.reshape(-1).tolist() for m in masks],
        "summedLoss": summed.item(), "gradient": flatten([p.grad for p in params]), "torch": torch.__version__,
    }


def write(path, values):
    text = "{\n" + ",\n".join(" %s: %s" % (json.dumps(k), json.dumps(v)) for k, v in values.items()) + "\n}\n"
    path.write_text(text)
    print("wrote", path)


def main(out, which="all"):
    out.mkdir(parents=True, exist_ok=True)
    if which == "all":
        for name, layers, alpha, reg, loss in CASES:
            write(out / ("torch-" + name + ".json"), case(name, layers, alpha, reg, loss))
    for name, layers, alpha, loss, rate in DROPOUT_CASES:
        write(out / ("dropout-" + name + ".json"), dropout_case(layers, alpha, loss, rate))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/oracle"),
         sys.argv[2] if len(sys.argv) > 2 else "all")
