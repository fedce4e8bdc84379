"""The learning app's models, one module per feature; Django finds them through this package."""

from learning.models.announcements import Announcement, AnnouncementDelivery, CourseAnalytics
from learning.models.certificates import Certificate
from learning.models.drip import SectionOpenNotice
from learning.models.enrollments import Enrollment, LessonProgress
from learning.models.exercises import Dataset, DatasetTable, Exercise, ExerciseRun
from learning.models.notes import Bookmark, Note
from learning.models.progress_video import VideoPosition
from learning.models.questions import (
    Answer,
    AnswerVote,
    Question,
    QuestionEmailSettings,
    QuestionVote,
)
from learning.models.quizzes import Quiz, QuizAttempt, QuizOption, QuizQuestion

__all__ = [
    "Announcement",
    "AnnouncementDelivery",
    "Answer",
    "AnswerVote",
    "Bookmark",
    "Certificate",
    "CourseAnalytics",
    "Dataset",
    "DatasetTable",
    "Enrollment",
    "Exercise",
    "ExerciseRun",
    "LessonProgress",
    "Note",
    "Question",
    "QuestionEmailSettings",
    "QuestionVote",
    "Quiz",
    "QuizAttempt",
    "QuizOption",
    "QuizQuestion",
    "SectionOpenNotice",
    "VideoPosition",
]
