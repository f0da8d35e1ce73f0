"""What users expect of an engine: named parameters, state dicts, saving to .npz, and sentences for misuse."""

import subprocess
import sys

import numpy as np
import pytest

from relulab import nn


def _cnn(seed=0, channels=4):
    nn.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(1, channels, 3), nn.PReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(channels * 3 * 3, 2))


def test_named_parameters_use_pytorchs_names():
    model = _cnn()
    names = [name for name, _ in model.named_parameters()]
    assert names == ["0.weight", "0.bias", "1.weight", "4.weight", "4.bias"]
    assert [p for _, p in model.named_parameters()] == model.parameters()
    assert [name for name, _ in nn.Linear(2, 3).named_parameters()] == ["weight", "bias"]
    assert [name for name, _ in nn.Linear(2, 3, bias=False).named_parameters()] == ["weight"]


def test_state_dict_round_trip_copies_into_the_same_arrays():
    a, b = _cnn(0), _cnn(1)
    weight = b[0].weight.data
    state = a.state_dict()
    state["0.weight"][...] = 7  # a copy: changing it does not change the model
    assert not (a[0].weight.data == 7).any()
    b.load_state_dict(a.state_dict())
    assert b[0].weight.data is weight  # copied in place: optimizers and compiled models keep working
    for p, q in zip(a.parameters(), b.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)


def test_a_trained_model_survives_a_restart_through_npz(tmp_path):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((40, 1, 8, 8)).astype(np.float32), rng.integers(0, 2, 40)
    model = _cnn(0)
    nn.fit(model, X, y, nn.CrossEntropyLoss(), nn.SGD(model.parameters(), lr=0.1), num_epochs=2, progress=False)
    path = tmp_path / "model.npz"
    model.save(path)
    code = (f"import numpy as np, sys; sys.path.insert(0, {str(__import__('pathlib').Path.cwd())!r}); "
            "from relulab import nn; nn.manual_seed(5); "
            "m = nn.Sequential(nn.Conv2d(1, 4, 3), nn.PReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(36, 2)); "
            f"m.load({str(path)!r}); X = np.random.default_rng(0).standard_normal((40, 1, 8, 8)).astype(np.float32); "
            "np.save(sys.argv[1], m(X))")
    out_file = tmp_path / "out.npy"
    subprocess.run([sys.executable, "-c", code, str(out_file)], check=True)  # a fresh process: a kernel restart
    np.testing.assert_array_equal(np.load(out_file), model(X))


def test_loading_into_a_different_model_names_the_parameter_and_both_shapes(tmp_path):
    path = tmp_path / "small.npz"
    _cnn(channels=4).save(path)
    with pytest.raises(nn.InputError, match=r"parameter '0.weight' has shape \(8, 1, 3, 3\) in the model but "
                                            r"\(4, 1, 3, 3\) in the saved weights"):
        _cnn(channels=8).load(path)
    with pytest.raises(nn.InputError, match=r"missing 1.weight.*unexpected 1.bias"):
        nn.Sequential(nn.Linear(2, 2), nn.PReLU()).load_state_dict(
            {"0.weight": np.zeros((2, 2)), "0.bias": np.zeros(2), "1.bias": np.zeros(1)})


@pytest.mark.parametrize("layer, dout", [
    (nn.ReLU(), np.ones(3)), (nn.LeakyReLU(), np.ones(3)), (nn.PReLU(), np.ones(3)), (nn.Sigmoid(), np.ones(3)),
    (nn.Tanh(), np.ones(3)), (nn.Linear(2, 3), np.ones((1, 3))), (nn.Flatten(), np.ones((1, 3))),
    (nn.Conv2d(1, 2, 3), np.ones((1, 2, 2, 2))), (nn.MaxPool2d(2), np.ones((1, 1, 2, 2))),
    (nn.Sequential(nn.Linear(2, 2), nn.ReLU()), np.ones((1, 2))),
])
def test_backward_before_forward_is_a_sentence(layer, dout):
    with pytest.raises(nn.ForwardFirstError, match=r"backward was called before forward.*model\(x\)"):
        layer.backward(dout)
    with pytest.raises(RuntimeError):  # it is a RuntimeError, as in PyTorch
        layer.backward(dout)
    assert getattr(layer, "no_such_attribute", None) is None  # other missing attributes behave as usual


def test_loss_backward_before_the_loss_is_a_sentence():
    for loss_fn in (nn.CrossEntropyLoss(), nn.MSELoss()):
        with pytest.raises(nn.ForwardFirstError, match="before the loss was computed"):
            loss_fn.backward()


def test_importing_nn_loads_numpy_only():
    code = ("import sys; from relulab import nn; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'tqdm', 'ipywidgets', 'matplotlib', "
            "'threadpoolctl', 'torch', 'sklearn', 'scipy', 'skimage', 'IPython'})); print('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]


def test_training_without_a_progress_bar_never_imports_tqdm():
    code = ("import sys, numpy as np; from relulab import nn; m = nn.Sequential(nn.Linear(2, 2)); "
            "nn.fit(m, np.zeros((4, 2), np.float32), np.zeros(4, int), nn.CrossEntropyLoss(), "
            "nn.SGD(m.parameters(), lr=0.1), progress=False); print('tqdm' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
