"""The learning app's models, one module per feature; Django finds them through this package."""

from learning.models.drip import SectionOpenNotice
from learning.models.enrollments import Enrollment, LessonProgress
from learning.models.progress_video import VideoPosition

__all__ = ["Enrollment", "LessonProgress", "SectionOpenNotice", "VideoPosition"]
