"""
Regenerates testdata/torch_lr_schedules.json, the reference sequences of
reference_test.ts and cli_test.ts: 18 of PyTorch 1.13's own schedulers
(torch.optim.lr_scheduler) and the chapter's five schedulers, evaluated from
their formulas without torch.

Usage: /usr/bin/python3 torch_reference.py > testdata/torch_lr_schedules.json

Protocol (the file's "protocol" field): lrs[t] is optimizer.param_groups[0]['lr']
read BEFORE the t-th scheduler.step(), that is after t steps, so lrs[0] is the
rate right after the scheduler is constructed; each step is optimizer.step()
then scheduler.step() (ReduceLROnPlateau: scheduler.step(metrics[t])).
torch_reference_test.ts runs this script and compares its output with the
committed file.
"""
import json
import math
import sys
import warnings

warnings.filterwarnings("ignore")  # SequentialLR and OneCycleLR warn about their own stepping
import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S

N = 60
PROTOCOL = (
    "lrs[t] = optimizer.param_groups[0]['lr'] read BEFORE the t-th scheduler.step() "
    "(after t steps; lrs[0] = right after construction); each step is optimizer.step() "
    "then scheduler.step() (ReduceLROnPlateau: step(metrics[t]))"
)
D2L_SOURCE = "formula of the d2l chapter, evaluated independently of torch"

# A loss that falls, stalls (alternating 0.55 and 0.56), drops, creeps up by 1e-5 a step, then
# falls slowly: every branch of ReduceLROnPlateau (patience, threshold, cooldown, min_lr).
PLATEAU_METRICS = (
    [round(1.0 - 0.05 * i, 5) for i in range(10)]
    + [0.55 if i % 2 == 0 else 0.56 for i in range(15)]
    + [round(0.4 + 0.00001 * i, 5) for i in range(15)]
    + [round(0.398 - 0.002 * i, 5) for i in range(20)]
)


# ---- The chapter's schedulers, as the chapter writes them ----

def d2l_sqrt(lr):
    return [lr * pow(t + 1.0, -0.5) for t in range(N)]


def d2l_factor(factor, stop_factor_lr, base_lr):
    lrs = []
    for _ in range(N):  # stateful: every call decays, the first one included
        base_lr = max(stop_factor_lr, base_lr * factor)
        lrs.append(base_lr)
    return lrs


def d2l_multifactor(step, factor, base_lr):
    lrs = []
    for t in range(N):
        if t in step:
            base_lr *= factor
        lrs.append(base_lr)
    return lrs


def d2l_cosine(max_update, base_lr, final_lr, warmup_steps=0, warmup_begin_lr=0):
    max_steps = max_update - warmup_steps
    lr = base_lr
    lrs = []
    for t in range(N):
        if t < warmup_steps:
            increase = (base_lr - warmup_begin_lr) * float(t) / float(warmup_steps)
            lrs.append(warmup_begin_lr + increase)
            continue
        if t <= max_update:
            lr = final_lr + (base_lr - final_lr) * (
                1 + math.cos(math.pi * (t - warmup_steps) / max_steps)
            ) / 2
        lrs.append(lr)
    return lrs


COSINE_FORMULA = (
    "t < warmup: warmup_begin_lr + (base_lr - warmup_begin_lr) * t / warmup_steps; "
    "warmup <= t <= max_update: final + (base - final) * (1 + cos(pi * (t - warmup) / "
    "(max_update - warmup))) / 2; t > max_update: last value (= final_lr)"
)


def d2l_entry(label, formula, args, call_index, compute):
    return {
        "label": label,
        "source": D2L_SOURCE,
        "formula": formula,
        "args": args,
        "call_index": call_index,
        "lrs": compute(**args),
    }


# ---- PyTorch's schedulers, stepped as the protocol says ----

def run(make, base_lr, momentum=0.0, metrics=None):
    """Rates (and momenta) read before each scheduler step, for N steps."""
    p = torch.nn.Parameter(torch.zeros(1))
    opt = SGD([p], lr=base_lr, momentum=momentum)
    sch = make(opt)
    lrs, momentums = [], []
    for t in range(N):
        lrs.append(opt.param_groups[0]["lr"])
        momentums.append(opt.param_groups[0]["momentum"])
        opt.step()
        if metrics is None:
            sch.step()
        else:
            sch.step(metrics[t])
    return lrs, momentums


def torch_entry(label, cls, args, base_lr, make=None, momentum=0.0, metrics=None):
    """One scheduler; `make` builds it when `args` cannot be passed to `cls` as they are."""
    build = make or (lambda opt: getattr(S, cls)(opt, **args))
    lrs, momentums = run(build, base_lr, momentum, metrics)
    entry = {
        "label": label,
        "source": "torch.optim.lr_scheduler",
        "cls": cls,
        "args": args,
        "base_lr": base_lr,
        "optimizer": f"SGD(momentum={momentum})",
        "n_steps": N,
        "lrs": lrs,
    }
    if momentum != 0.0:
        entry["momentums"] = momentums
    if metrics is not None:
        entry["metrics"] = metrics
        entry["note"] = "lrs[t] read before scheduler.step(metrics[t])"
    return entry


def sequential(opt):
    warm = S.LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=5)
    cos = S.CosineAnnealingLR(opt, T_max=55, eta_min=0.001)
    return S.SequentialLR(opt, schedulers=[warm, cos], milestones=[5])


def plateau(label, args):
    return torch_entry(label, "ReduceLROnPlateau", args, 0.1, metrics=PLATEAU_METRICS)


def reference():
    d2l = [
        d2l_entry(
            "d2l_SquareRootScheduler_lr0.1",
            "lr * (t + 1) ** -0.5",
            {"lr": 0.1},
            "scheduler(t), t = 0..59",
            d2l_sqrt,
        ),
        d2l_entry(
            "d2l_FactorScheduler_0.9_stop0.01_base2",
            "state <- max(stop_factor_lr, state * factor); return state "
            "(first call already decays)",
            {"factor": 0.9, "stop_factor_lr": 0.01, "base_lr": 2.0},
            "called once per t = 0..59 in order (stateful)",
            d2l_factor,
        ),
        d2l_entry(
            "d2l_MultiFactorScheduler_15_30_half_base0.5",
            "stateful: if t in steps: lr *= factor; return lr (decay applies AT t=15, t=30)",
            {"step": [15, 30], "factor": 0.5, "base_lr": 0.5},
            "called once per t = 0..59 in order",
            d2l_multifactor,
        ),
        d2l_entry(
            "d2l_CosineScheduler_T20_0.3_to_0.01",
            COSINE_FORMULA,
            {"max_update": 20, "base_lr": 0.3, "final_lr": 0.01},
            "scheduler(t), t = 0..59",
            d2l_cosine,
        ),
        d2l_entry(
            "d2l_CosineScheduler_T20_warmup5_0.3_to_0.01",
            COSINE_FORMULA,
            {"max_update": 20, "warmup_steps": 5, "base_lr": 0.3, "final_lr": 0.01},
            "scheduler(t), t = 0..59",
            d2l_cosine,
        ),
    ]
    ours = [
        torch_entry("StepLR_s10_g0.5", "StepLR", {"step_size": 10, "gamma": 0.5}, 0.1),
        torch_entry(
            "MultiStepLR_chapter", "MultiStepLR", {"milestones": [15, 30], "gamma": 0.5}, 0.5
        ),
        torch_entry(
            "MultiStepLR_10_25_40_g0.1",
            "MultiStepLR",
            {"milestones": [10, 25, 40], "gamma": 0.1},
            0.1,
        ),
        torch_entry("ExponentialLR_0.9", "ExponentialLR", {"gamma": 0.9}, 0.1),
        torch_entry(
            "CosineAnnealingLR_T20_min0.01",
            "CosineAnnealingLR",
            {"T_max": 20, "eta_min": 0.01},
            0.3,
        ),
        torch_entry(
            "CosineAnnealingLR_T60_min0", "CosineAnnealingLR", {"T_max": 60, "eta_min": 0.0}, 0.1
        ),
        torch_entry(
            "CAWR_T0_10_Tmult1",
            "CosineAnnealingWarmRestarts",
            {"T_0": 10, "T_mult": 1, "eta_min": 0.0},
            0.1,
        ),
        torch_entry(
            "CAWR_T0_10_Tmult2_min0.01",
            "CosineAnnealingWarmRestarts",
            {"T_0": 10, "T_mult": 2, "eta_min": 0.01},
            0.3,
        ),
        torch_entry(
            "LinearLR_warmup",
            "LinearLR",
            {"start_factor": 1 / 3, "end_factor": 1.0, "total_iters": 5},
            0.1,
        ),
        torch_entry("PolynomialLR_p1_T30", "PolynomialLR", {"total_iters": 30, "power": 1.0}, 0.1),
        torch_entry("PolynomialLR_p2_T40", "PolynomialLR", {"total_iters": 40, "power": 2.0}, 0.1),
        torch_entry(
            "OneCycleLR_cos",
            "OneCycleLR",
            {"max_lr": 0.5, "total_steps": 60, "anneal_strategy": "cos"},
            0.1,
            momentum=0.9,  # cycle_momentum defaults to True and needs a momentum to cycle
        ),
        torch_entry(
            "OneCycleLR_linear",
            "OneCycleLR",
            {"max_lr": 0.5, "total_steps": 60, "anneal_strategy": "linear", "cycle_momentum": False},
            0.1,
        ),
    ]
    for mode in ["triangular", "triangular2"]:
        args = {
            "base_lr": 0.01,
            "max_lr": 0.1,
            "step_size_up": 5,
            "mode": mode,
            "cycle_momentum": False,
        }
        ours.append(torch_entry(f"CyclicLR_{mode}", "CyclicLR", args, 0.1))
    ours += [
        torch_entry(
            "SequentialLR_linear5_cosine55",
            "SequentialLR",
            {
                "schedulers": [
                    "LinearLR(start_factor=0.1, end_factor=1.0, total_iters=5)",
                    "CosineAnnealingLR(T_max=55, eta_min=0.001)",
                ],
                "milestones": [5],
            },
            0.1,
            make=sequential,
        ),
        torch_entry(
            "LambdaLR_inv_sqrt",
            "LambdaLR",
            {"lr_lambda": "see label: inverse square root, 1/sqrt(t+1)"},
            0.1,
            make=lambda opt: S.LambdaLR(opt, lambda t: 1 / math.sqrt(t + 1)),
        ),
        plateau("ReduceLROnPlateau_default_p3", {
            "mode": "min",
            "factor": 0.5,
            "patience": 3,
            "threshold": 0.0001,
            "threshold_mode": "rel",
            "cooldown": 0,
            "min_lr": 0.001,
        }),
        plateau("ReduceLROnPlateau_cooldown2_abs", {
            "mode": "min",
            "factor": 0.1,
            "patience": 2,
            "threshold": 0.005,
            "threshold_mode": "abs",
            "cooldown": 2,
            "min_lr": 1e-05,
        }),
    ]
    return {
        "torch_version": torch.__version__,
        "n_steps": N,
        "protocol": PROTOCOL,
        "has_PolynomialLR": hasattr(S, "PolynomialLR"),
        "plateau_metric_sequence": PLATEAU_METRICS,
        "d2l_chapter_schedulers": d2l,
        "torch_schedulers": ours,
    }


json.dump(reference(), sys.stdout, indent=1)
