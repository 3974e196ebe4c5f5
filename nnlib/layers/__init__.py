"""nnlib's layers, named as in ``keras.layers``, from
(chapter 1, "The same network in nnlib and in Keras") onwards."""
from .activation import ELU, Activation, LeakyReLU, ReLU, Softmax
from .base import Layer
from .core import Dense, Input, InputLayer
from .dropout import Dropout

__all__ = ["Layer", "Dense", "Input", "InputLayer", "Activation", "ReLU", "LeakyReLU", "ELU",
           "Softmax", "Dropout"]
