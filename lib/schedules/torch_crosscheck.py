"""
Random learning-rate schedule configurations run through PyTorch's own
schedulers, for lib/schedules/torch_crosscheck_test.ts.

Usage: python3 torch_crosscheck.py SEED COUNT  -> one JSON array on stdout:
[{"spec": {kind, options[, metrics]}, "lrs": [...]}, ...], where lrs[t] is the
optimizer's rate before the t-th scheduler step (after t steps), the protocol
of testdata/torch_lr_schedules.json (see torch_reference.py).
"""
import json, random, sys, warnings
warnings.filterwarnings("ignore")
import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S
random.seed(int(sys.argv[1]))
COUNT = int(sys.argv[2])
N = 120
out = []
def run(make, base, metrics=None):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = SGD([p], lr=base)
    sch = make(opt)
    lrs = []
    for t in range(N):
        lrs.append(opt.param_groups[0]['lr'])
        opt.step()
        if metrics is None: sch.step()
        else: sch.step(metrics[t])
    return lrs
for i in range(COUNT):
    kind = random.choice(["step","multistep","exp","cosine","cawr","onecycle","cyclic","plateau","poly","linear"])
    base = random.choice([0.1, 0.3, 1.0, 0.05])
    if kind == "step":
        ss = random.randint(1, 20); g = random.choice([0.1, 0.5, 0.9])
        spec = {"kind":"step","options":{"baseLr":base,"stepSize":ss,"gamma":g}}
        lrs = run(lambda o: S.StepLR(o, ss, g), base)
    elif kind == "multistep":
        ms = sorted(random.sample(range(1, 100), random.randint(1, 4))); g = random.choice([0.1, 0.5])
        spec = {"kind":"multifactor","options":{"baseLr":base,"milestones":ms,"factor":g}}
        lrs = run(lambda o: S.MultiStepLR(o, ms, g), base)
    elif kind == "exp":
        g = random.choice([0.9, 0.95, 0.99, 0.5])
        spec = {"kind":"exponential","options":{"baseLr":base,"gamma":g}}
        lrs = run(lambda o: S.ExponentialLR(o, g), base)
    elif kind == "cosine":
        T = random.randint(1, 60); m = random.choice([0.0, 0.001, 0.01])
        m = min(m, base)
        spec = {"kind":"cosine","options":{"baseLr":base,"finalLr":m,"maxUpdate":T,"periodic":True}}
        lrs = run(lambda o: S.CosineAnnealingLR(o, T, m), base)
    elif kind == "cawr":
        T0 = random.randint(1, 20); tm = random.choice([1, 2, 3]); m = random.choice([0.0, 0.001])
        spec = {"kind":"sgdr","options":{"baseLr":base,"finalLr":m,"t0":T0,"tMult":tm}}
        lrs = run(lambda o: S.CosineAnnealingWarmRestarts(o, T0, tm, m), base)
    elif kind == "onecycle":
        total = N + random.randint(0, 30); mx = random.choice([0.5, 1.0, 0.1])
        pct = random.choice([0.1, 0.25, 0.3, 0.5]); a = random.choice(["cos","linear"])
        df = random.choice([25.0, 10.0, 5.0]); fdf = random.choice([1e4, 100.0]); tp = random.choice([False, True])
        spec = {"kind":"onecycle","options":{"maxLr":mx,"totalSteps":total,"pctStart":pct,"anneal":a,"divFactor":df,"finalDivFactor":fdf,"threePhase":tp}}
        lrs = run(lambda o: S.OneCycleLR(o, max_lr=mx, total_steps=total, pct_start=pct, anneal_strategy=a, div_factor=df, final_div_factor=fdf, three_phase=tp, cycle_momentum=False), base)
    elif kind == "cyclic":
        lo = random.choice([0.001, 0.01]); hi = random.choice([0.1, 0.5]); up = random.randint(1, 15)
        down = random.choice([None, random.randint(1, 15)]); mode = random.choice(["triangular","triangular2","exp_range"])
        g = random.choice([1.0, 0.99, 0.95])
        o = {"baseLr":lo,"maxLr":hi,"stepSizeUp":up,"mode":mode,"gamma":g}
        if down is not None: o["stepSizeDown"] = down
        spec = {"kind":"cyclic","options":o}
        lrs = run(lambda op: S.CyclicLR(op, base_lr=lo, max_lr=hi, step_size_up=up, step_size_down=down, mode=mode, gamma=g, cycle_momentum=False), base)
    elif kind == "plateau":
        mode = random.choice(["min","max"]); f = random.choice([0.1, 0.5]); pat = random.randint(0, 5)
        th = random.choice([1e-4, 0.01, 0.0]); tm = random.choice(["rel","abs"]); cd = random.randint(0, 3)
        ml = random.choice([0.0, 1e-3]); ml = min(ml, base)
        metrics = [round(random.random(), 2) if random.random() < 0.3 else 0.5 for _ in range(N)]
        spec = {"kind":"plateau","options":{"baseLr":base,"mode":mode,"factor":f,"patience":pat,"threshold":th,"thresholdMode":tm,"cooldown":cd,"minLr":ml},"metrics":metrics}
        lrs = run(lambda o: S.ReduceLROnPlateau(o, mode=mode, factor=f, patience=pat, threshold=th, threshold_mode=tm, cooldown=cd, min_lr=ml), base, metrics)
    elif kind == "poly":
        T = random.randint(1, 100); pw = random.choice([0.5, 1.0, 2.0, 3.0])
        spec = {"kind":"poly","options":{"baseLr":base,"maxUpdate":T,"power":pw}}
        lrs = run(lambda o: S.PolynomialLR(o, total_iters=T, power=pw), base)
    elif kind == "linear":
        sf = random.choice([0.1, 0.5, 1/3]); ef = random.choice([1.0, 0.5, 0.1]); T = random.randint(1, 50)
        spec = {"kind":"linear","options":{"startLr":base*sf,"endLr":base*ef,"maxUpdate":T}}
        lrs = run(lambda o: S.LinearLR(o, start_factor=sf, end_factor=ef, total_iters=T), base)
    out.append({"spec":spec, "lrs":lrs})
json.dump(out, sys.stdout)
