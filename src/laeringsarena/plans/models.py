"""Development talks, individual development plans, course requests, unit/municipality
competence plans with an annual cycle (årshjul), and career ladders (fagstiger).

``plans`` may use ``competence`` and ``catalogue``; neither of them uses ``plans``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Development talk (medarbeidersamtale / utviklingssamtale) ---------------------------------


class TalkStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    HELD = "held", _("Gjennomført")
    CONFIRMED = "confirmed", _("Bekreftet av begge")


class DevelopmentTalk(models.Model):
    """A structured talk between an employee and their leader; competence is a fixed topic."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="development_talks")
    leader = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    scheduled_on = models.DateField(_("dato"))
    status = models.CharField(max_length=20, choices=TalkStatus.choices, default=TalkStatus.PLANNED)
    # topic key → text, one dict per side (see plans.talks.TOPICS).
    employee_preparation = models.JSONField(default=dict, blank=True)
    leader_preparation = models.JSONField(default=dict, blank=True)
    agreed_actions = models.TextField(_("avtalte tiltak"), blank=True)
    employee_confirmed_at = models.DateTimeField(null=True, blank=True)
    leader_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_on"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.scheduled_on}"


# --- Individual development plan ----------------------------------------------------------------


class DevelopmentPlan(models.Model):
    """A person's individual development plan (individuell utviklingsplan); one per person."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="development_plan")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"plan {self.person_id}"


class ItemKind(models.TextChoices):
    OFFERING = "offering", _("Kurs eller tilbud fra katalogen")
    LEARNING_PATH = "learning_path", _("Læringsløp")
    ON_THE_JOB = "on_the_job", _("Oppgave i jobben")
    MENTORING = "mentoring", _("Veiledning / mentor")
    JOB_EXCHANGE = "job_exchange", _("Hospitering / jobbytte")
    NETWORK = "network", _("Nettverk")


class ItemStatus(models.TextChoices):
    WISH = "wish", _("Ønske")
    PLANNED = "planned", _("Planlagt")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Fullført")
    CANCELLED = "cancelled", _("Avlyst")


class PlanItem(models.Model):
    """One activity in a development plan, with goal, the gap it closes, due date and status."""

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("type"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("tittel"), max_length=300)
    goal = models.TextField(_("mål"), blank=True)
    offering = models.ForeignKey(
        "catalogue.Offering", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    competence = models.ForeignKey(
        "competence.Competence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_level = models.PositiveSmallIntegerField(_("målnivå"), null=True, blank=True)
    due_on = models.DateField(_("frist"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    wished_by_employee = models.BooleanField(default=False)
    created_by = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("delmål"), max_length=300)
    due_on = models.DateField(_("frist"), null=True, blank=True)
    done_on = models.DateField(_("nådd"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


# --- Course request (søknad om kurs) -------------------------------------------------------------


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Sendt")
    APPROVED = "approved", _("Godkjent")
    REJECTED = "rejected", _("Avslått")
    WITHDRAWN = "withdrawn", _("Trukket")
    ENROLLED = "enrolled", _("Påmeldt")


class CourseRequest(models.Model):
    """An employee asks for an offering; the leader approves or rejects it, with a reason."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="course_requests")
    unit = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    offering = models.ForeignKey(
        "catalogue.Offering", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("kurs"), max_length=300)
    motivation = models.TextField(_("begrunnelse"), blank=True)
    plan_item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED)
    decided_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("begrunnelse for vedtaket"), blank=True)
    time_off_hours = models.DecimalField(
        _("permisjon (timer)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    cover = models.CharField(_("vikar / dekning"), max_length=300, blank=True)
    cost_nok = models.DecimalField(_("kostnad (kr)"), max_digits=10, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class RequestEvent(models.Model):
    """The history of a course request: every status change with who, when and why."""

    request = models.ForeignKey(CourseRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=RequestStatus.choices)
    actor = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.status}"


# --- Unit and municipality competence plans (kompetanseplan) -------------------------------------


class CompetencePlan(models.Model):
    """A competence plan for a unit, sector or municipality, co-created with union representatives."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="competence_plans"
    )
    title = models.CharField(_("tittel"), max_length=300)
    period_start = models.DateField(_("fra"))
    period_end = models.DateField(_("til"))
    strategy = models.TextField(_("mål og kobling til strategi"), blank=True)
    budget_nok = models.DecimalField(_("budsjett (kr)"), max_digits=12, decimal_places=2, default=0)
    budget_hours = models.DecimalField(_("budsjett (timer)"), max_digits=8, decimal_places=1, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "title"]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    """A measure in a competence plan: the prioritised gap it closes, who, when and what it costs."""

    plan = models.ForeignKey(CompetencePlan, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("tiltak"), max_length=300)
    competence = models.ForeignKey(
        "competence.Competence", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(_("prioritet"), default=2)
    responsible = models.CharField(_("ansvarlig"), max_length=200, blank=True)
    milestone = models.CharField(_("milepæl"), max_length=300, blank=True)
    due_on = models.DateField(_("frist"), null=True, blank=True)
    planned_nok = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    spent_nok = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    planned_hours = models.DecimalField(max_digits=8, decimal_places=1, default=0)
    spent_hours = models.DecimalField(max_digits=8, decimal_places=1, default=0)
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["priority", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class PlanComment(models.Model):
    plan = models.ForeignKey(CompetencePlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("people.Person", null=True, on_delete=models.SET_NULL, related_name="+")
    role = models.CharField(max_length=40)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class SignOff(models.Model):
    """A recorded sign-off of a competence plan by the leader, HR or a union representative."""

    plan = models.ForeignKey(CompetencePlan, on_delete=models.CASCADE, related_name="signoffs")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=40)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "person", "role"], name="signoff_unique")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.role}"


class CycleKind(models.TextChoices):
    TALKS = "talks", _("Medarbeidersamtaler")
    CAMPAIGN = "campaign", _("Kompetansekartlegging")
    REVISION = "revision", _("Revisjon av planen")
    BUDGET = "budget", _("Budsjett")
    OTHER = "other", _("Annet")


class CycleEvent(models.Model):
    """An event in the annual cycle (årshjul) of a competence plan; exported as iCalendar."""

    plan = models.ForeignKey(CompetencePlan, on_delete=models.CASCADE, related_name="cycle")
    kind = models.CharField(max_length=20, choices=CycleKind.choices)
    title = models.CharField(_("tittel"), max_length=300)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    yearly = models.BooleanField(default=True)

    class Meta:
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.title


# --- Career ladders (fagstiger) ------------------------------------------------------------------


class CareerLadder(models.Model):
    tenant = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LadderStep(models.Model):
    ladder = models.ForeignKey(CareerLadder, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("trinn"), max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["ladder", "order"]

    def __str__(self) -> str:
        return self.title


class StepCriterion(models.Model):
    step = models.ForeignKey(LadderStep, on_delete=models.CASCADE, related_name="criteria")
    competence = models.ForeignKey("competence.Competence", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"{self.step_id}: {self.competence_id} ≥ {self.level}"
