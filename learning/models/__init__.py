"""The learning app's models, one module per feature; Django finds them through this package."""

from learning.models.certificates import Certificate
from learning.models.enrollments import Enrollment, LessonProgress
from learning.models.exercises import Dataset, DatasetTable, Exercise, ExerciseRun

__all__ = [
    "Certificate",
    "Dataset",
    "DatasetTable",
    "Enrollment",
    "Exercise",
    "ExerciseRun",
    "LessonProgress",
]
