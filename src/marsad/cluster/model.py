"""Small linear models over pair features, fitted with numpy and shipped as JSON (`model.json`).

The heads read the features of `marsad.cluster.features`:
- `join`: logistic regression, P(same event) for a document pair; the clusterer's join decision
  thresholds an aggregate of it (threshold calibrated by cross-validation, stored beside it);
- `similarity`: ridge regression onto the SemEval-2022 Task 8 Overall score, mapped to [0, 1], on
  `SIMILARITY_FEATURE_NAMES` (the text pair features plus the e5 second opinion);
- `storyline` (optional): logistic regression on `storyline_inputs` (the square roots of
  `STORYLINE_SOURCE_NAMES`), P(two different events
  are stages of one developing story); a new story joins the storyline of the earlier story whose
  best member reaches `storyline_threshold` (calibrated by cross-validation, stored beside it);
- `similarity_fast`: the same on the text pair features alone (no e5), for bulk scoring;
- `similarity_metric` (optional): a learned weighting of embedding dimensions added to the
  `similarity` head's output: sum over dimensions d of w_d * (u_d * v_d - mean_d), where u, v are a
  pair's USE head, USE body and e5 vectors side by side (`METRIC_BLOCKS`). A cosine weighs every
  dimension alike; this learns which dimensions separate same-event from same-topic pairs (a
  diagonal metric), fitted by ridge on the similarity head's residuals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from marsad.cluster.features import (
    FEATURE_NAMES,
    SIMILARITY_FEATURE_NAMES,
    STORYLINE_FEATURE_NAMES,
    TEXT_FEATURE_NAMES,
)
from marsad.errors import ConfigError

Matrix = npt.NDArray[np.float64]


def expand(x: Matrix, squares: tuple[int, ...], roots: tuple[int, ...]) -> Matrix:
    """Append x[:, i]**2 for i in `squares` and sqrt(max(x[:, i], 0)) for i in `roots`."""
    x = np.atleast_2d(x)
    parts = [x]
    if squares:
        parts.append(x[:, list(squares)] ** 2)
    if roots:
        parts.append(np.sqrt(np.maximum(x[:, list(roots)], 0.0)))
    return np.hstack(parts)


@dataclass(slots=True, frozen=True)
class LinearModel:
    """y = bias + coef . ((expand(x) - mean) / scale), then the logistic link for `kind='logistic'`."""

    kind: str
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    bias: float
    squares: tuple[int, ...] = ()
    roots: tuple[int, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    features: tuple[str, ...] = FEATURE_NAMES

    def __post_init__(self) -> None:
        if self.kind not in ("logistic", "linear"):
            raise ConfigError(f"model kind must be 'logistic' or 'linear', got {self.kind!r}")
        width = len(self.features) + len(self.squares) + len(self.roots)
        if not len(self.mean) == len(self.scale) == len(self.coef) == width:
            raise ConfigError(
                f"model has {len(self.coef)} weights but the features expand to {width}; refit model.json"
            )

    def predict(self, x: Matrix) -> npt.NDArray[np.float64]:
        """One output per row of `x` (rows in `self.features` order)."""
        z = (expand(x, self.squares, self.roots) - np.asarray(self.mean)) / np.asarray(self.scale)
        y: npt.NDArray[np.float64] = z @ np.asarray(self.coef) + self.bias
        if self.kind == "logistic":
            y = 1.0 / (1.0 + np.exp(-np.clip(y, -40.0, 40.0)))
        return y

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "features": list(self.features),
            "squares": list(self.squares),
            "roots": list(self.roots),
            "mean": [round(v, 8) for v in self.mean],
            "scale": [round(v, 8) for v in self.scale],
            "coef": [round(v, 8) for v in self.coef],
            "bias": round(self.bias, 8),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], expected: tuple[str, ...] = FEATURE_NAMES) -> LinearModel:
        """The head stored in `data`. Raises ConfigError when it was fitted on other features."""
        if list(data.get("features", [])) != list(expected):
            raise ConfigError(
                "model.json was fitted on other features than marsad.cluster.features; refit it"
            )
        return cls(
            kind=str(data["kind"]),
            mean=tuple(float(v) for v in data["mean"]),
            scale=tuple(float(v) for v in data["scale"]),
            coef=tuple(float(v) for v in data["coef"]),
            bias=float(data["bias"]),
            squares=tuple(int(i) for i in data.get("squares", [])),
            roots=tuple(int(i) for i in data.get("roots", [])),
            meta=dict(data.get("meta", {})),
            features=tuple(expected),
        )


METRIC_BLOCKS: tuple[str, ...] = ("use_head", "use_body", "e5")


@dataclass(slots=True, frozen=True)
class MetricHead:
    """A learned diagonal metric over the embedding blocks `blocks` (see the module docstring)."""

    blocks: tuple[str, ...]
    widths: tuple[int, ...]
    mean: tuple[float, ...]
    coef: tuple[float, ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.blocks) != len(self.widths) or not len(self.mean) == len(self.coef) == sum(self.widths):
            raise ConfigError(
                f"metric head has {len(self.coef)} weights for blocks {self.blocks} of widths "
                f"{self.widths}; refit model.json"
            )

    def predict(self, products: Matrix) -> npt.NDArray[np.float64]:
        """The residual for each row of elementwise products (blocks side by side, `widths` wide)."""
        products = np.atleast_2d(products)
        if products.shape[1] != len(self.coef):
            raise ConfigError(
                f"metric head expects {len(self.coef)} product columns {self.blocks}, got "
                f"{products.shape[1]}: the embedders differ from the ones it was fitted on"
            )
        out: npt.NDArray[np.float64] = (products - np.asarray(self.mean)) @ np.asarray(self.coef)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "blocks": list(self.blocks),
            "widths": list(self.widths),
            "mean": [round(v, 8) for v in self.mean],
            "coef": [round(v, 6) for v in self.coef],
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MetricHead:
        if list(data.get("blocks", [])) != list(METRIC_BLOCKS):
            raise ConfigError("model.json's metric head was fitted on other embedding blocks; refit it")
        return cls(
            blocks=tuple(str(b) for b in data["blocks"]),
            widths=tuple(int(w) for w in data["widths"]),
            mean=tuple(float(v) for v in data["mean"]),
            coef=tuple(float(v) for v in data["coef"]),
            meta=dict(data.get("meta", {})),
        )


def fit_metric(
    products: Matrix, residual: npt.NDArray[np.float64], widths: tuple[int, ...], *, l2: float
) -> MetricHead:
    """Ridge of `residual` on the centred products (no standardizing: every dimension on one scale)."""
    mean = products.mean(axis=0)
    z = products - mean
    coef = np.linalg.solve(z.T @ z + l2 * np.eye(z.shape[1]), z.T @ residual)
    return MetricHead(METRIC_BLOCKS, widths, tuple(mean), tuple(coef), {"l2": l2})


def _standardize(z: Matrix) -> tuple[Matrix, Matrix]:
    mean = z.mean(axis=0)
    scale = z.std(axis=0)
    # A constant feature (e.g. same_outlet on data without outlets) keeps weight 0 instead of NaN.
    scale = np.where(scale > 1e-9, scale, 1.0)
    return mean, scale


def fit_logistic(
    x: Matrix,
    y: npt.NDArray[np.float64],
    *,
    l2: float = 1.0,
    squares: tuple[int, ...] = (),
    roots: tuple[int, ...] = (),
    max_iter: int = 100,
    features: tuple[str, ...] = FEATURE_NAMES,
) -> LinearModel:
    """L2-regularized logistic regression by Newton's method on standardized features."""
    z = expand(x, squares, roots)
    mean, scale = _standardize(z)
    a = np.hstack([(z - mean) / scale, np.ones((len(z), 1))])
    w = np.zeros(a.shape[1])
    penalty = np.r_[np.full(a.shape[1] - 1, l2), 0.0]
    for _ in range(max_iter):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -40.0, 40.0)))
        grad = a.T @ (p - y) + penalty * w
        hess = (a * (p * (1.0 - p))[:, None]).T @ a + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return LinearModel(
        "logistic", tuple(mean), tuple(scale), tuple(w[:-1]), float(w[-1]), squares, roots, features=features
    )


def fit_ridge(
    x: Matrix,
    y: npt.NDArray[np.float64],
    *,
    l2: float = 1.0,
    squares: tuple[int, ...] = (),
    roots: tuple[int, ...] = (),
    features: tuple[str, ...] = FEATURE_NAMES,
) -> LinearModel:
    """Ridge regression on standardized features (intercept not penalized)."""
    z = expand(x, squares, roots)
    mean, scale = _standardize(z)
    a = np.hstack([(z - mean) / scale, np.ones((len(z), 1))])
    penalty = np.diag(np.r_[np.full(a.shape[1] - 1, l2), 0.0])
    w = np.linalg.solve(a.T @ a + penalty, a.T @ y)
    return LinearModel(
        "linear", tuple(mean), tuple(scale), tuple(w[:-1]), float(w[-1]), squares, roots, features=features
    )


@dataclass(slots=True, frozen=True)
class ClusterModel:
    """The shipped heads plus the calibrated join threshold."""

    join: LinearModel
    similarity: LinearModel
    join_threshold: float
    meta: dict[str, Any] = field(default_factory=dict)
    similarity_fast: LinearModel | None = None
    similarity_metric: MetricHead | None = None
    storyline: LinearModel | None = None
    storyline_threshold: float = 0.5

    def to_json(self) -> dict[str, Any]:
        fast = {"similarity_fast": self.similarity_fast.to_json()} if self.similarity_fast else {}
        metric = {"similarity_metric": self.similarity_metric.to_json()} if self.similarity_metric else {}
        storyline: dict[str, Any] = {}
        if self.storyline is not None:
            storyline = {
                "storyline": self.storyline.to_json(),
                "storyline_threshold": round(self.storyline_threshold, 4),
            }
        return {
            "join": self.join.to_json(),
            "similarity": self.similarity.to_json(),
            **fast,
            **metric,
            **storyline,
            "join_threshold": round(self.join_threshold, 4),
            "meta": self.meta,
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def load_model(path: Path | None = None) -> ClusterModel:
    """The model at `path`, or the one shipped in the package. Raises ConfigError when unreadable."""
    try:
        if path is None:
            text = resources.files("marsad.cluster").joinpath("model.json").read_text("utf-8")
        else:
            text = path.read_text("utf-8")
        data = json.loads(text)
        threshold = float(data["join_threshold"])
        fast = data.get("similarity_fast")
        metric = data.get("similarity_metric")
        storyline = data.get("storyline")
        storyline_threshold = float(data.get("storyline_threshold", 0.5))
        model = ClusterModel(
            join=LinearModel.from_json(data["join"]),
            similarity=LinearModel.from_json(data["similarity"], SIMILARITY_FEATURE_NAMES),
            join_threshold=threshold,
            meta=dict(data.get("meta", {})),
            similarity_fast=LinearModel.from_json(fast, TEXT_FEATURE_NAMES) if fast is not None else None,
            similarity_metric=MetricHead.from_json(metric) if metric is not None else None,
            storyline=(
                LinearModel.from_json(storyline, STORYLINE_FEATURE_NAMES) if storyline is not None else None
            ),
            storyline_threshold=storyline_threshold,
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{path or 'marsad/cluster/model.json'}: cannot load the cluster model: {exc}"
        ) from exc
    for name, value in (("join_threshold", threshold), ("storyline_threshold", storyline_threshold)):
        if not 0.0 < value < 1.0:
            raise ConfigError(f"{name} must be in (0, 1), got {value}")
    return model
