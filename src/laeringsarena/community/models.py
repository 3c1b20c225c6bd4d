"""Learning at work: reflection logs, groups and networks, debriefs and feedback.

Everything here is personal or belongs to a group. Visibility rules live in
:mod:`laeringsarena.community.access`; writes go through :mod:`laeringsarena.community.services`.

Links to things in other apps (an offering, a learning-path step, a deviation) are generic
(``link_kind`` + ``link_id`` + ``link_title``) until those apps publish their models; the
title is kept so the link reads well even if the other side is gone.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laeringsarena.organisations.models import Organisation
from laeringsarena.people.models import Person


class LinkKind(models.TextChoices):
    NONE = "", _("Ingen")
    OFFERING = "offering", _("Læringstilbud")
    PATH_STEP = "path_step", _("Steg i læringsløp")
    DEVIATION = "deviation", _("Avvik")


class LinkedMixin(models.Model):
    """A generic link to an object in another app (kind + id + title)."""

    link_kind = models.CharField(_("lenket til"), max_length=20, choices=LinkKind.choices, blank=True)
    link_id = models.PositiveBigIntegerField(_("lenket id"), null=True, blank=True)
    link_title = models.CharField(_("lenket tittel"), max_length=200, blank=True)

    class Meta:
        abstract = True


# --- Groups and networks --------------------------------------------------------------------


class GroupKind(models.TextChoices):
    GUIDANCE = "guidance", _("Kollegaveiledningsgruppe")
    UNIT_TEAM = "unit_team", _("Enhetsteam")
    NETWORK = "network", _("Nettverk på tvers av enheter")
    REGIONAL = "regional", _("Nettverk på tvers av kommuner")


class JoinPolicy(models.TextChoices):
    OPEN = "open", _("Åpen – alle kan bli med")
    REQUEST = "request", _("Etter forespørsel")
    INVITATION = "invitation", _("Bare etter invitasjon")


class Group(models.Model):
    """A community of practice (fellesskap): guidance group, team or network.

    ``tenant`` is the home municipality. A regional network (``kind=regional``) spans the
    municipalities in :class:`GroupMunicipality` and is active only when the admins of every
    participating municipality have agreed.
    """

    tenant = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="community_groups")
    kind = models.CharField(_("type"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    unit = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="community_teams"
    )
    join_policy = models.CharField(
        _("opptak"), max_length=20, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST
    )
    facilitator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilitated_groups"
    )
    schedule = models.CharField(_("fast tidspunkt"), max_length=200, blank=True)
    needs_coordinator = models.BooleanField(_("mangler koordinator"), default=False)
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gruppe")
        verbose_name_plural = _("grupper")

    def __str__(self) -> str:
        return self.name

    @property
    def is_regional(self) -> bool:
        return self.kind == GroupKind.REGIONAL


class GroupMunicipality(models.Model):
    """A municipality taking part in a regional network, and whether its admins agreed."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="municipalities")
    tenant = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agreed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agreed_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(_("begrunnelse"), max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "tenant"], name="group_municipality_unique")]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.tenant_id}"


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Medlem")
    COORDINATOR = "coordinator", _("Koordinator")
    CO_COORDINATOR = "co_coordinator", _("Nestkoordinator")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Medlem")
    REQUESTED = "requested", _("Har bedt om å bli med")
    INVITED = "invited", _("Invitert")
    ENDED = "ended", _("Avsluttet")


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="community_memberships")
    role = models.CharField(_("rolle"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    status = models.CharField(
        _("status"), max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    joined_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group_id", "created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "person"], name="membership_unique")]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.group} ({self.get_role_display()})"


class Post(models.Model):
    """A post in a group's discussion; ``parent`` makes it a reply (one level of threads)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="community_posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("innlegg"))
    created_at = models.DateTimeField(auto_now_add=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    hidden_reason = models.CharField(_("begrunnelse"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class PostReport(models.Model):
    """A member reports a post to the group's coordinators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("hvorfor"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.reason[:40]}"


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("Møte")
    PROFESSIONAL_DAY = "fagdag", _("Fagdag")


class Meeting(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(
        _("type"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.MEETING
    )
    title = models.CharField(_("tittel"), max_length=200)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    location = models.CharField(_("sted"), max_length=200, blank=True)
    agenda = models.TextField(_("saksliste"), blank=True)
    minutes = models.TextField(_("referat"), blank=True)
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="meeting_ends_after")
        ]

    def __str__(self) -> str:
        return self.title


class NoticeKind(models.TextChoices):
    NEEDS_COORDINATOR = "needs_coordinator", _("Gruppen mangler koordinator")
    AGREEMENT_NEEDED = "agreement_needed", _("Nettverket venter på avtale")
    NETWORK_DECLINED = "network_declined", _("En kommune har takket nei til nettverket")
    NETWORK_AGREED = "network_agreed", _("Nettverket er opprettet")


class CommunityNotice(models.Model):
    """Something the municipality's admins (HR) must act on, shown on the management page."""

    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=30, choices=NoticeKind.choices)
    message = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.message


# --- Reflection -----------------------------------------------------------------------------


class Reflection(LinkedMixin):
    """An entry in a person's reflection log (refleksjonslogg). Private unless shared."""

    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reflections")
    # The author's municipality and unit when writing: used for the leader share and insight.
    tenant = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    prompt = models.CharField(_("spørsmål"), max_length=40, blank=True)
    title = models.CharField(_("tittel"), max_length=200, blank=True)
    body = models.TextField(_("refleksjon"))
    shared_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="shared_reflections"
    )
    shared_with_leader = models.BooleanField(_("delt med leder"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["author", "created_at"])]

    def __str__(self) -> str:
        return self.title or self.body[:40]

    @property
    def is_private(self) -> bool:
        return self.shared_group_id is None and not self.shared_with_leader


# --- Debriefs -------------------------------------------------------------------------------


class DebriefTemplate(models.Model):
    """Questions for a structured debrief, configurable per municipality.

    ``questions`` is a list of ``{"key": ..., "label": ..., "help": ...}``.
    """

    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="debrief_templates")
    name = models.CharField(_("navn"), max_length=200)
    questions = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Debrief(LinkedMixin):
    """A structured debrief (gjennomgang) after a hard situation, held by a group."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="debriefs")
    template = models.ForeignKey(DebriefTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(_("tittel"), max_length=200)
    occurred_on = models.DateField(_("dato for hendelsen"), null=True, blank=True)
    questions = models.JSONField(default=list)  # a copy of the template's questions when held
    answers = models.JSONField(default=dict)
    held_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def answered(self) -> list[tuple[str, str]]:
        return [(q["label"], self.answers.get(q["key"], "")) for q in self.questions]


class OutcomeKind(models.TextChoices):
    PLAN_ITEM = "plan_item", _("Punkt i kompetanseplan")
    PROCEDURE_CHANGE = "procedure_change", _("Endring i prosedyre")
    IMPROVEMENT_CASE = "improvement_case", _("Forbedringssak")


class OutcomeStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    DONE = "done", _("Fullført")


class DebriefOutcome(models.Model):
    """What a debrief leads to. ``target_*`` will point at the plan item, procedure change
    request or improvement case once the plans and quality apps accept them."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("type"), max_length=30, choices=OutcomeKind.choices)
    description = models.TextField(_("beskrivelse"))
    responsible = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("frist"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=OutcomeStatus.choices, default=OutcomeStatus.OPEN)
    # Where the outcome was handed on: ``target_type`` names the other app's object
    # (``plan_item``, ``measure``, ``improvement_case``, ``procedure_revision``,
    # ``procedure_request``), ``target_id`` its id.
    procedure_id = models.PositiveBigIntegerField(null=True, blank=True)  # the procedure to change
    target_type = models.CharField(max_length=30, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    handed_over_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handover_note = models.CharField(max_length=300, blank=True)  # why it is not handed on yet
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def handed_over(self) -> bool:
        return self.handed_over_at is not None


# --- Feedback -------------------------------------------------------------------------------


class FeedbackRequest(models.Model):
    """Feedback after a larger task, private to the two people involved."""

    requester = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_requested")
    giver = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_to_give")
    task = models.CharField(_("oppgave"), max_length=300)
    question = models.TextField(_("hva vil du ha tilbakemelding på"), blank=True)
    answer = models.TextField(_("tilbakemelding"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.task


# --- Passing learning on ------------------------------------------------------------------


class MiniCourseStatus(models.TextChoices):
    PLANNED = "planned", _("Planlagt")
    HELD = "held", _("Holdt")
    CANCELLED = "cancelled", _("Avlyst")


class MiniCourse(LinkedMixin):
    """ "Pass it on" (synlig læring): a short session where someone shares what they learned."""

    host = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mini_courses_hosted")
    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mini_courses")
    title = models.CharField(_("tittel"), max_length=200)
    summary = models.TextField(_("oppsummering"), blank=True)
    starts_at = models.DateTimeField(_("starter"))
    duration_minutes = models.PositiveSmallIntegerField(_("varighet (minutter)"), default=30)
    location = models.CharField(_("sted"), max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=MiniCourseStatus.choices, default=MiniCourseStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class MiniCourseInvitation(models.Model):
    course = models.ForeignKey(MiniCourse, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mini_course_invitations")
    invited_at = models.DateTimeField(auto_now_add=True)
    # Attendance is learning for the attendee (shown in their "learning at work").
    attended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["course_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="mini_course_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.course}"


class ExchangeKind(models.TextChoices):
    OFFER = "offer", _("Tilbud: vi tar imot")
    WISH = "wish", _("Ønske: jeg vil lære hos andre")


class ExchangeMode(models.TextChoices):
    EXCHANGE = "exchange", _("Jobbytte")
    SHADOWING = "shadowing", _("Hospitering")


class ExchangeStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    MATCHED = "matched", _("Avtalt")
    CLOSED = "closed", _("Lukket")


class ExchangePosting(models.Model):
    """An offer or a wish for a short job exchange or shadowing (jobbytte / hospitering).

    Within the municipality it is visible to everyone employed there; with ``network`` set it is
    posted to a regional network instead and visible to that network's members only.
    """

    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="exchange_postings")
    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="exchange_postings")
    kind = models.CharField(max_length=10, choices=ExchangeKind.choices)
    mode = models.CharField(max_length=10, choices=ExchangeMode.choices, default=ExchangeMode.SHADOWING)
    position = models.ForeignKey(
        "organisations.Position", on_delete=models.PROTECT, related_name="+", verbose_name=_("stilling")
    )
    description = models.TextField(_("beskrivelse"))
    days = models.PositiveSmallIntegerField(_("antall dager"), default=2)
    network = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.CASCADE, related_name="exchanges"
    )
    # An offer: what the host unit teaches; a wish: what the person wants to learn. An offer
    # without competences teaches what the position requires in the host unit.
    competences = models.ManyToManyField(
        "competence.Competence", blank=True, related_name="+", verbose_name=_("kompetanser")
    )
    status = models.CharField(max_length=10, choices=ExchangeStatus.choices, default=ExchangeStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.position.name}"


class ExchangeAgreement(models.Model):
    """A match between an offer and a wish; in force when both leaders have agreed."""

    offer = models.ForeignKey(ExchangePosting, on_delete=models.CASCADE, related_name="as_offer")
    wish = models.ForeignKey(ExchangePosting, on_delete=models.CASCADE, related_name="as_wish")
    proposed_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    host_leader = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    host_agreed_at = models.DateTimeField(null=True, blank=True)
    home_leader = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    home_agreed_at = models.DateTimeField(null=True, blank=True)
    # The items recorded in the development plans of the people taking part, once agreed.
    wish_plan_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    offer_plan_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["offer", "wish"], name="exchange_agreement_unique")]

    def __str__(self) -> str:
        return f"{self.offer} ↔ {self.wish}"

    @property
    def agreed(self) -> bool:
        return self.host_agreed_at is not None and self.home_agreed_at is not None


class Question(models.Model):
    """Ask a colleague: a question in a group or network (a unit team covers "within a unit")."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("spørsmål"), max_length=200)
    body = models.TextField(_("utdyping"), blank=True)
    accepted = models.ForeignKey("Answer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Answer(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("svar"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:40]


class GroupResource(models.Model):
    """A shared resource in a group: a link to a checklist, an article, a procedure, slides."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(_("tittel"), max_length=200)
    url = models.URLField(_("lenke"), max_length=500)
    description = models.CharField(_("beskrivelse"), max_length=500, blank=True)
    added_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PassItOnStatus(models.TextChoices):
    OPEN = "open", _("Venter på svar")
    MINI_COURSE = "mini_course", _("Holder minikurs")
    SUMMARY = "summary", _("Har delt en oppsummering")
    DECLINED = "declined", _("Takket nei")


class PassItOnInvitation(models.Model):
    """ "Pass it on" (del det videre): after completing an offering or a learning path the person
    is invited, once per completion, to hold a mini-course or share a summary with their unit.

    ``completion_id`` is the learning app's completion (kept as a plain id: the invitation must
    not vanish with it). A shared summary is visible to the people working in ``unit``.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pass_it_on_invitations")
    # Empty for invitations not made from a recorded completion (e.g. seeded in the demo).
    completion_id = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    tenant = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("tittel"), max_length=300)
    offering_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=PassItOnStatus.choices, default=PassItOnStatus.OPEN)
    summary = models.TextField(_("oppsummering"), blank=True)
    mini_course = models.ForeignKey(
        MiniCourse, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "status"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.person} – {self.title}"
