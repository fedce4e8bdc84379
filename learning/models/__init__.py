"""The learning app's models, one module per feature; Django finds them through this package."""

from learning.models.announcements import Announcement, AnnouncementDelivery, CourseAnalytics
from learning.models.enrollments import Enrollment, LessonProgress

__all__ = [
    "Announcement",
    "AnnouncementDelivery",
    "CourseAnalytics",
    "Enrollment",
    "LessonProgress",
]
