"""Online education (在线教育): courses, exams, honest learning time, group education, re-entry help."""

from .content import MEDIA_KINDS, Course, Lesson, LessonKind, Stage
from .exams import Exam, ExamAttempt, Question, QuestionKind
from .groups import GroupAttendance, GroupSession, GroupSessionPhoto, Lecturer, Profession
from .study import (
    AssignmentReason,
    CourseAssignment,
    FaceCheckOutcome,
    LessonProgress,
    SessionState,
    StudyFaceCheck,
    StudySession,
)

__all__ = [
    "MEDIA_KINDS",
    "AssignmentReason",
    "Course",
    "CourseAssignment",
    "Exam",
    "ExamAttempt",
    "FaceCheckOutcome",
    "GroupAttendance",
    "GroupSession",
    "GroupSessionPhoto",
    "Lecturer",
    "Profession",
    "Lesson",
    "LessonKind",
    "LessonProgress",
    "Question",
    "QuestionKind",
    "SessionState",
    "Stage",
    "StudyFaceCheck",
    "StudySession",
]
