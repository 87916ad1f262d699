"""
Regenerates testdata/torch_pitfalls.json: what PyTorch 1.13 does in the three
situations the "frameworks" chapter warns about, read from torch itself so that
the chapter can check its claims without Python.

Usage: /usr/bin/python3 torch_pitfalls.py > testdata/torch_pitfalls.json

- "order": StepLR(step_size=3, gamma=0.5) from lr 0.1, 8 updates. "right" is the
  rate each optimizer.step() used when every update is optimizer.step() then
  scheduler.step(); "reversed" the same with scheduler.step() first; "warning" the
  warning PyTorch gave for the reversed loop.
- "resume": StepLR(step_size=10, gamma=0.5) from lr 0.1. "continuous" is the rate
  of epochs 0..24 of one uninterrupted run; "state_dict" the rates of epochs 15..24
  after saving optimizer and scheduler state at epoch 15 and loading both into new
  objects; "last_epoch" the same epochs from a new optimizer at lr 0.1 (with
  'initial_lr' set, as resuming requires) and StepLR(..., last_epoch=14);
  "last_epoch_error" the error when 'initial_lr' is not set.
- "onecycle_error": what OneCycleLR(total_steps=5) says when stepped a sixth time.

torch_pitfalls_test.ts runs this script and compares its output with the committed file.
"""
import json
import sys
import warnings

import torch
from torch.optim import SGD
from torch.optim.lr_scheduler import OneCycleLR, StepLR


def optimizer(lr=0.1):
    return SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def lr_of(opt):
    return opt.param_groups[0]["lr"]


def order():
    right, reversed_, caught = [], [], []
    opt = optimizer()
    sched = StepLR(opt, step_size=3, gamma=0.5)
    for _ in range(8):
        right.append(lr_of(opt))
        opt.step()
        sched.step()
    opt = optimizer()
    sched = StepLR(opt, step_size=3, gamma=0.5)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        for _ in range(8):
            sched.step()
            reversed_.append(lr_of(opt))
            opt.step()
        caught = [str(x.message) for x in w]
    return {"right": right, "reversed": reversed_, "warning": caught[0] if caught else None}


def resume():
    opt = optimizer()
    sched = StepLR(opt, step_size=10, gamma=0.5)
    continuous = []
    saved = None
    for epoch in range(25):
        if epoch == 15:
            saved = (opt.state_dict(), sched.state_dict())
        continuous.append(lr_of(opt))
        opt.step()
        sched.step()

    opt = optimizer()
    sched = StepLR(opt, step_size=10, gamma=0.5)
    opt.load_state_dict(saved[0])
    sched.load_state_dict(saved[1])
    from_state = []
    for _ in range(15, 25):
        from_state.append(lr_of(opt))
        opt.step()
        sched.step()

    try:
        StepLR(optimizer(), step_size=10, gamma=0.5, last_epoch=14)
        error = None
    except KeyError as e:
        error = str(e.args[0])

    opt = optimizer()
    opt.param_groups[0]["initial_lr"] = 0.1
    sched = StepLR(opt, step_size=10, gamma=0.5, last_epoch=14)
    from_last_epoch = []
    for _ in range(15, 25):
        from_last_epoch.append(lr_of(opt))
        opt.step()
        sched.step()
    return {
        "continuous": continuous,
        "state_dict": from_state,
        "last_epoch": from_last_epoch,
        "last_epoch_error": error,
    }


def onecycle_error():
    opt = optimizer()
    sched = OneCycleLR(opt, max_lr=0.5, total_steps=5)
    try:
        for _ in range(6):
            opt.step()
            sched.step()
    except ValueError as e:
        return str(e)
    return None


json.dump(
    {
        "torch_version": torch.__version__,
        "order": order(),
        "resume": resume(),
        "onecycle_error": onecycle_error(),
    },
    sys.stdout,
    indent=1,
)
print()
