"""
Random learning-rate (and momentum) schedules run through PyTorch's own
schedulers, for lib/schedules/torch_crosscheck_test.ts.

Usage: python3 torch_crosscheck.py SEED COUNT  -> one JSON array on stdout of
{"category", "spec", "lrs"[, "momentums"][, "momentum"][, "steps"]}:

- "spec" is a tree of our factories that should give the same rates:
  {"fn": FACTORY, "options": {...}}, {"fn": "plateauSchedule", "options",
  "metrics"}, {"fn": "join", "parts": [...], "boundaries": [...]} or
  {"fn": "multiply", "parts": [...]}; "momentum", where present, is the tree
  of the momentum schedule;
- lrs[t] (and momentums[t]) is the optimizer's rate (and momentum, or Adam's
  beta1) before the t-th scheduler step, the protocol of
  testdata/torch_lr_schedules.json (see torch_reference.py); where "steps" is
  present (CosineAnnealingWarmRestarts stepped at fractional epochs with
  step(epoch)), lrs[i] is the rate right after step(steps[i]).

Categories: PyTorch's schedulers one by one (StepLR, MultiStepLR with factors
below and above 1, ExponentialLR decaying and growing, CosineAnnealingLR,
CosineAnnealingWarmRestarts, OneCycleLR, CyclicLR, ReduceLROnPlateau,
PolynomialLR, LinearLR); OneCycleLR's and CyclicLR's momentum (cycled by
default; Adam's beta1 for OneCycleLR); ChainedScheduler and SequentialLR of
two or three schedulers; and CosineAnnealingWarmRestarts with a real T_mult
(set on the scheduler after construction: PyTorch's constructor takes only
integers, its stepping code any number) and at fractional epochs.
"""
import json, random, sys, warnings
warnings.filterwarnings("ignore")
import torch
from torch.optim import SGD, Adam
from torch.optim import lr_scheduler as S

random.seed(int(sys.argv[1]))
COUNT = int(sys.argv[2])
N = 120
CATEGORIES = [
    "step", "multistep", "exp", "cosine", "cawr", "onecycle", "cyclic", "plateau", "poly",
    "linear", "multistep_up", "exp_up", "onecycle_momentum", "cyclic_momentum", "chained",
    "sequential", "cawr_real", "cawr_epoch",
]


def leaf(fn, **options):
    return {"fn": fn, "options": options}


def optimizer(base, adam=False):
    p = torch.nn.Parameter(torch.zeros(1))
    return Adam([p], lr=base) if adam else SGD([p], lr=base, momentum=0.9)


def run(opt, sch, metrics=None, momentum=False):
    lrs, momentums = [], []
    for t in range(N):
        group = opt.param_groups[0]
        lrs.append(group["lr"])
        momentums.append(group["betas"][0] if "betas" in group else group["momentum"])
        opt.step()
        if metrics is None:
            sch.step()
        else:
            sch.step(metrics[t])
    return (lrs, momentums) if momentum else lrs


# ---- schedulers that compose: each with the tree of ours it equals, on a base rate b

def closed_form(opt, b, rng):
    """A scheduler whose step(0) is a restart (it has a closed form), and ours, on base b."""
    kind = rng.choice(["linear", "constant", "exp", "step", "multistep", "cosine", "poly"])
    if kind == "linear":
        s = rng.choice([0.1, 0.5, 1 / 3]); e = rng.choice([1.0, 0.5, 0.2]); n = rng.randint(1, 40)
        return S.LinearLR(opt, start_factor=s, end_factor=e, total_iters=n), \
            leaf("linear", startLr=b * s, endLr=b * e, maxUpdate=n)
    if kind == "constant":
        f = rng.choice([0.1, 0.5, 1 / 3]); n = rng.randint(1, 30)
        return S.ConstantLR(opt, factor=f, total_iters=n), \
            leaf("piecewiseConstant", boundaries=[n], values=[b * f, b])
    if kind == "exp":
        g = rng.choice([0.9, 0.95, 0.99])
        return S.ExponentialLR(opt, g), leaf("exponential", baseLr=b, gamma=g)
    if kind == "step":
        ss = rng.randint(1, 15); g = rng.choice([0.1, 0.5])
        return S.StepLR(opt, ss, g), leaf("step", baseLr=b, stepSize=ss, gamma=g)
    if kind == "multistep":
        ms = sorted(rng.sample(range(1, 60), rng.randint(1, 3))); g = rng.choice([0.1, 0.5])
        return S.MultiStepLR(opt, ms, g), leaf("multifactor", baseLr=b, milestones=ms, factor=g)
    if kind == "cosine":
        T = rng.randint(1, 50); m = min(rng.choice([0.0, 0.001]), b)
        return S.CosineAnnealingLR(opt, T, m), \
            leaf("cosine", baseLr=b, finalLr=m, maxUpdate=T, periodic=True)
    n = rng.randint(1, 60); pw = rng.choice([0.5, 1.0, 2.0])
    return S.PolynomialLR(opt, total_iters=n, power=pw), leaf("poly", baseLr=b, maxUpdate=n, power=pw)


def multiplicative(opt, rng):
    """A scheduler whose step multiplies the rate, and ours as a factor (on a base of 1)."""
    kind = rng.choice(["linear", "constant", "exp", "step", "multistep", "cosine", "poly"])
    if kind == "linear":
        s = rng.choice([0.1, 0.5]); e = rng.choice([1.0, 0.5]); n = rng.randint(1, 40)
        return S.LinearLR(opt, start_factor=s, end_factor=e, total_iters=n), \
            leaf("linear", startLr=s, endLr=e, maxUpdate=n)
    if kind == "constant":
        f = rng.choice([0.1, 0.5]); n = rng.randint(1, 30)
        return S.ConstantLR(opt, factor=f, total_iters=n), \
            leaf("piecewiseConstant", boundaries=[n], values=[f, 1])
    if kind == "exp":
        g = rng.choice([0.9, 0.97, 0.99])
        return S.ExponentialLR(opt, g), leaf("exponential", baseLr=1, gamma=g)
    if kind == "step":
        ss = rng.randint(1, 15); g = rng.choice([0.1, 0.5])
        return S.StepLR(opt, ss, g), leaf("step", baseLr=1, stepSize=ss, gamma=g)
    if kind == "multistep":
        ms = sorted(rng.sample(range(1, 100), rng.randint(1, 3))); g = rng.choice([0.1, 0.5])
        return S.MultiStepLR(opt, ms, g), leaf("multifactor", baseLr=1, milestones=ms, factor=g)
    if kind == "cosine":  # multiplicative with eta_min = 0 while it has not wrapped (T > N)
        T = rng.randint(N + 1, 400)
        return S.CosineAnnealingLR(opt, T, 0.0), leaf("cosine", baseLr=1, maxUpdate=T)
    n = rng.randint(1, 150); pw = rng.choice([0.5, 1.0, 2.0])
    return S.PolynomialLR(opt, total_iters=n, power=pw), leaf("poly", baseLr=1, maxUpdate=n, power=pw)


def cawr_epochs(rng):
    return sorted(rng.random() * 300 for _ in range(N))


def case(kind, rng):
    base = rng.choice([0.1, 0.3, 1.0, 0.05])
    if kind == "step":
        ss = rng.randint(1, 20); g = rng.choice([0.1, 0.5, 0.9])
        opt = optimizer(base)
        return leaf("step", baseLr=base, stepSize=ss, gamma=g), run(opt, S.StepLR(opt, ss, g))
    if kind in ("multistep", "multistep_up"):
        ms = sorted(rng.sample(range(1, 100), rng.randint(1, 4)))
        g = rng.choice([0.1, 0.5] if kind == "multistep" else [2.0, 3.0, 1.5])
        opt = optimizer(base)
        return leaf("multifactor", baseLr=base, milestones=ms, factor=g), \
            run(opt, S.MultiStepLR(opt, ms, g))
    if kind in ("exp", "exp_up"):
        g = rng.choice([0.9, 0.95, 0.99, 0.5] if kind == "exp" else [1.01, 1.03, 1.05])
        opt = optimizer(base)
        spec = leaf("exponential", baseLr=base, gamma=g) if kind == "exp" else \
            leaf("exponential", baseLr=base, gamma=g, maxLr=1e9)  # a cap 120 steps never reach
        return spec, run(opt, S.ExponentialLR(opt, g))
    if kind == "cosine":
        T = rng.randint(1, 60); m = min(rng.choice([0.0, 0.001, 0.01]), base)
        opt = optimizer(base)
        return leaf("cosine", baseLr=base, finalLr=m, maxUpdate=T, periodic=True), \
            run(opt, S.CosineAnnealingLR(opt, T, m))
    if kind == "cawr":
        T0 = rng.randint(1, 20); tm = rng.choice([1, 2, 3]); m = rng.choice([0.0, 0.001])
        opt = optimizer(base)
        return leaf("sgdr", baseLr=base, finalLr=m, t0=T0, tMult=tm), \
            run(opt, S.CosineAnnealingWarmRestarts(opt, T0, tm, m))
    if kind == "cawr_real":
        T0 = rng.randint(1, 12); tm = rng.choice([1.5, 1.25, 2.5, 1.75, 3.5]); m = rng.choice([0.0, 0.001])
        opt = optimizer(base)
        sch = S.CosineAnnealingWarmRestarts(opt, T0, 1, m)
        sch.T_mult = tm  # the constructor takes only integers; step() takes the product as it is
        return leaf("sgdr", baseLr=base, finalLr=m, t0=T0, tMult=tm), run(opt, sch)
    if kind == "cawr_epoch":
        T0 = rng.randint(1, 12); tm = rng.choice([1, 2, 3, 1.5, 2.5]); m = rng.choice([0.0, 0.001])
        opt = optimizer(base)
        sch = S.CosineAnnealingWarmRestarts(opt, T0, 1, m)
        sch.T_mult = tm
        steps, lrs = cawr_epochs(rng), []
        for epoch in steps:
            sch.step(epoch)
            lrs.append(opt.param_groups[0]["lr"])
        return leaf("sgdr", baseLr=base, finalLr=m, t0=T0, tMult=tm), lrs, {"steps": steps}
    if kind in ("onecycle", "onecycle_momentum"):
        total = N + rng.randint(0, 30); mx = rng.choice([0.5, 1.0, 0.1])
        pct = rng.choice([0.1, 0.25, 0.3, 0.5]); a = rng.choice(["cos", "linear"])
        df = rng.choice([25.0, 10.0, 5.0]); fdf = rng.choice([1e4, 100.0]); tp = rng.choice([False, True])
        options = {"maxLr": mx, "totalSteps": total, "pctStart": pct, "anneal": a,
                   "divFactor": df, "finalDivFactor": fdf, "threePhase": tp}
        args = dict(max_lr=mx, total_steps=total, pct_start=pct, anneal_strategy=a,
                    div_factor=df, final_div_factor=fdf, three_phase=tp)
        if kind == "onecycle":
            opt = optimizer(base)
            return {"fn": "onecycle", "options": options}, \
                run(opt, S.OneCycleLR(opt, **args, cycle_momentum=False))
        bm = rng.choice([0.85, 0.8, 0.5]); xm = rng.choice([0.95, 0.9, 0.99])
        adam = rng.random() < 0.3
        opt = optimizer(base, adam)
        lrs, momentums = run(opt, S.OneCycleLR(opt, **args, base_momentum=bm, max_momentum=xm),
                             momentum=True)
        momentum = {"fn": "onecycleMomentum", "options": {**options, "baseMomentum": bm, "maxMomentum": xm}}
        return {"fn": "onecycle", "options": options}, lrs, \
            {"momentums": momentums, "momentum": momentum, "adam": adam}
    if kind in ("cyclic", "cyclic_momentum"):
        lo = rng.choice([0.001, 0.01]); hi = rng.choice([0.1, 0.5]); up = rng.randint(1, 15)
        down = rng.choice([None, rng.randint(1, 15)]); mode = rng.choice(["triangular", "triangular2", "exp_range"])
        g = rng.choice([1.0, 0.99, 0.95])
        o = {"baseLr": lo, "maxLr": hi, "stepSizeUp": up, "mode": mode, "gamma": g}
        if down is not None:
            o["stepSizeDown"] = down
        args = dict(base_lr=lo, max_lr=hi, step_size_up=up, step_size_down=down, mode=mode, gamma=g)
        opt = optimizer(base)
        if kind == "cyclic":
            return {"fn": "cyclic", "options": o}, run(opt, S.CyclicLR(opt, **args, cycle_momentum=False))
        bm = rng.choice([0.8, 0.7, 0.5]); xm = rng.choice([0.9, 0.95])
        lrs, momentums = run(opt, S.CyclicLR(opt, **args, base_momentum=bm, max_momentum=xm), momentum=True)
        momentum = {"fn": "cyclicMomentum", "options": {**o, "baseMomentum": bm, "maxMomentum": xm}}
        return {"fn": "cyclic", "options": o}, lrs, {"momentums": momentums, "momentum": momentum}
    if kind == "plateau":
        mode = rng.choice(["min", "max"]); f = rng.choice([0.1, 0.5]); pat = rng.randint(0, 5)
        th = rng.choice([1e-4, 0.01, 0.0]); tm = rng.choice(["rel", "abs"]); cd = rng.randint(0, 3)
        ml = min(rng.choice([0.0, 1e-3]), base)
        metrics = [round(rng.random(), 2) if rng.random() < 0.3 else 0.5 for _ in range(N)]
        options = {"baseLr": base, "mode": mode, "factor": f, "patience": pat, "threshold": th,
                   "thresholdMode": tm, "cooldown": cd, "minLr": ml}
        opt = optimizer(base)
        sch = S.ReduceLROnPlateau(opt, mode=mode, factor=f, patience=pat, threshold=th,
                                  threshold_mode=tm, cooldown=cd, min_lr=ml)
        return {"fn": "plateauSchedule", "options": options, "metrics": metrics}, run(opt, sch, metrics)
    if kind == "poly":
        T = rng.randint(1, 100); pw = rng.choice([0.5, 1.0, 2.0, 3.0])
        opt = optimizer(base)
        return leaf("poly", baseLr=base, maxUpdate=T, power=pw), \
            run(opt, S.PolynomialLR(opt, total_iters=T, power=pw))
    if kind == "linear":
        sf = rng.choice([0.1, 0.5, 1 / 3]); ef = rng.choice([1.0, 0.5, 0.1]); T = rng.randint(1, 50)
        opt = optimizer(base)
        return leaf("linear", startLr=base * sf, endLr=base * ef, maxUpdate=T), \
            run(opt, S.LinearLR(opt, start_factor=sf, end_factor=ef, total_iters=T))
    if kind == "chained":
        opt = optimizer(base)
        parts = [multiplicative(opt, rng) for _ in range(rng.randint(2, 3))]
        sch = S.ChainedScheduler([p[0] for p in parts])
        spec = {"fn": "multiply", "parts": [leaf("constant", baseLr=base)] + [p[1] for p in parts]}
        return spec, run(opt, sch)
    if kind == "sequential":
        opt = optimizer(base)
        k = rng.randint(2, 3)
        parts = [closed_form(opt, base, rng) for _ in range(k)]
        milestones = sorted(rng.sample(range(1, N - 10), k - 1))
        sch = S.SequentialLR(opt, [p[0] for p in parts], milestones)
        spec = {"fn": "join", "parts": [p[1] for p in parts], "boundaries": milestones}
        return spec, run(opt, sch)
    raise ValueError(kind)


out = []
for i in range(COUNT):
    kind = CATEGORIES[i % len(CATEGORIES)] if i < 2 * len(CATEGORIES) else random.choice(CATEGORIES)
    made = case(kind, random)
    entry = {"category": kind, "spec": made[0], "lrs": made[1]}
    if len(made) > 2:
        entry.update(made[2])
    out.append(entry)
json.dump(out, sys.stdout)
