"""The randomized tasks of the post, each with its prompt, exact target and algorithms."""

from spec.tasks.random_prime import RandomPrime, random_prime
from spec.tasks.semiprime import SemiprimeTriple, semiprime_triple
from spec.tasks.uniform_number import UniformNumber, uniform_number
from spec.tasks.mystery import mystery
from spec.tasks.polynomial import Polynomial, polynomial
from spec.tasks.sudoku import Sudoku, sudoku
from spec.tasks.twenty_questions import SecretGame, twenty_questions

__all__ = [
    "Polynomial",
    "SecretGame",
    "Sudoku",
    "mystery",
    "polynomial",
    "sudoku",
    "twenty_questions",
    "RandomPrime",
    "SemiprimeTriple",
    "UniformNumber",
    "random_prime",
    "semiprime_triple",
    "uniform_number",
]
