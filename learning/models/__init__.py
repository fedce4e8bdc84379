"""The learning app's models, one module per feature; Django finds them through this package."""

from learning.models.enrollments import Enrollment, LessonProgress
from learning.models.quizzes import Option, Question, Quiz, QuizAttempt

__all__ = ["Enrollment", "LessonProgress", "Option", "Question", "Quiz", "QuizAttempt"]
