"""Code values of the RAPIDS apprentice bulk-upload specification (tableschema.json beside this file).

The registration data is stored as these codes, so the export writes them unchanged.
"""

from django.db import models


class Suffix(models.TextChoices):
    I = "I", "I"  # noqa: E741
    II = "II", "II"
    III = "III", "III"
    JR = "Jr.", "Jr."
    SR = "Sr.", "Sr."


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    NOT_SELF_IDENTIFIED = "9", "Did not self-identify"


class EmploymentStatus(models.TextChoices):
    EXISTING_EMPLOYEE = "EE", "Existing employee"
    NEW_EMPLOYEE = "NE", "New employee"


class Ethnicity(models.IntegerChoices):
    HISPANIC_LATINO = 1, "Hispanic or Latino"
    NOT_HISPANIC_LATINO = 2, "Not Hispanic or Latino"
    NOT_SELF_IDENTIFIED = 9, "Did not self-identify"


class RaceAnswer(models.IntegerChoices):
    YES = 1, "Yes"
    NO = 0, "No"
    NOT_SELF_IDENTIFIED = 9, "Did not self-identify"


class VeteranStatus(models.IntegerChoices):
    VETERAN = 1, "Veteran"
    NON_VETERAN = 2, "Non veteran"
    NON_VETERAN_ELIGIBLE = 3, "Non veteran, other eligible individual"
    VETERAN_ELIGIBLE = 4, "Veteran, eligible"
    NOT_SELF_IDENTIFIED = 9, "Did not self-identify"


class DisabilityStatus(models.IntegerChoices):
    HAS_DISABILITY = 1, "Has disability meeting definition"
    NO_DISABILITY = 2, "Does not have disability meeting definition"
    NOT_SELF_IDENTIFIED = 9, "Did not self-identify"


class EducationLevel(models.IntegerChoices):
    NOT_HIGH_SCHOOL_GRADUATE = 1, "Not High School graduate"
    HIGH_SCHOOL_GRADUATE = 3, "High School graduate (including equivalency)"
    NOT_SELF_IDENTIFIED = 5, "Did not self-identify"
    SOME_COLLEGE_OR_ASSOCIATE = 6, "Some College or Associate's degree"
    BACHELOR = 7, "Bachelor's degree"
    MASTER = 8, "Master's degree"
    DOCTORATE_OR_PROFESSIONAL = 9, "Doctorate or professional degree"


class WageUnit(models.TextChoices):
    HOURLY = "H", "Hourly"
    WEEKLY = "W", "Weekly"
    MONTHLY = "M", "Monthly"
    QUARTERLY = "Q", "Quarterly"
    SEMI_ANNUALLY = "S", "Semi-Annually"
    ANNUALLY = "A", "Annually"


class CareerConnection(models.TextChoices):
    PRE_APPRENTICESHIP = "P", "Pre-Apprenticeship"
    TECHNICAL_TRAINING_SCHOOL = "T", "Technical Training School"
    MILITARY_VETERANS = "M", "Military Veterans"
    JOB_CORPS = "J", "Job Corps"
    YOUTHBUILD = "Y", "YouthBuild"
    HUD_STEP_UP = "H", "HUD/STEP-UP"
    CAREER_CENTER_REFERRAL = "C", "Career Center Referral"
    SCHOOL_TO_APPRENTICESHIP = "S", "School-to-Registered Apprenticeship"
    NONE = "N", "None"


class ParticipantType(models.TextChoices):
    INCUMBENT_WORKER = "IW", "Incumbent Worker"
    ADULT = "AD", "Adult"
    YOUTH = "YT", "Youth"
    DISLOCATED_WORKER = "DI", "Dislocated Worker"


class CareerLinkage(models.TextChoices):
    NONE = "N", "None"
    JOB_CORPS = "JC", "JobCorps"
    HUD_STEP_UP = "HD", "HUD/STEP-UP"
    SCHOOL_TO_APPRENTICESHIP = "SR", "School to Registered Apprenticeship"
    DIRECT_ENTRY = "DE", "Direct Entry"


class StudentStatus(models.TextChoices):
    WORK_BASED_LEARNING = "WBLRA", "Work-based learning registered apprentice"
    YOUTH = "YRA", "Youth registered apprentice"
    NOT_APPLICABLE = "NA", "Not applicable"
