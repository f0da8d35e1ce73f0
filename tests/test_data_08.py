"""relulab.data.faces (notebook 08): scikit-image's face / non-face crops as an (X, y) split like digits."""

import numpy as np
import pytest

from relulab.data import FACE_LABELS, FACE_SIZE, digits, faces


@pytest.fixture(scope="module")
def split():
    return faces()


def test_faces_follow_the_digits_convention(split):
    X_train, y_train, X_test, y_test = split
    assert X_train.shape == (150, FACE_SIZE * FACE_SIZE) and X_test.shape == (50, FACE_SIZE * FACE_SIZE)
    assert X_train.dtype == np.float32 and y_train.dtype == np.int64
    assert [type(a) for a in split] == [type(a) for a in digits()]
    assert 0 <= X_train.min() and X_train.max() <= 1


def test_half_the_pictures_are_faces_and_train_and_test_do_not_share_any(split):
    X_train, y_train, X_test, y_test = split
    assert set(np.unique(y_train)) == {0, 1} and len(FACE_LABELS) == 2
    assert np.sum(y_train) + np.sum(y_test) == 100
    train_rows = {row.tobytes() for row in X_train}
    assert not any(row.tobytes() in train_rows for row in X_test)


def test_the_split_is_seeded(split):
    again = faces()
    assert all(np.array_equal(a, b) for a, b in zip(split, again, strict=True))
    other = faces(seed=1)
    assert not np.array_equal(other[1], split[1])
    assert len(faces(num_train=120)[0]) == 120


def test_faces_are_the_first_hundred_pictures_of_scikit_images_set():
    from skimage.data import lfw_subset

    images = lfw_subset()
    X_train, y_train, _, _ = faces()
    first = X_train[0].reshape(FACE_SIZE, FACE_SIZE)
    index = next(i for i in range(len(images)) if np.allclose(images[i], first))
    assert y_train[0] == (1 if index < 100 else 0)


@pytest.mark.parametrize("num_train", [0, 200, -3])
def test_a_split_that_leaves_a_side_empty_is_refused_with_a_sentence(num_train):
    with pytest.raises(ValueError, match="num_train must be between 1 and 199"):
        faces(num_train=num_train)
