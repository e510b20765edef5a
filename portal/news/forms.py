from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.core import forms as core_forms
from portal.core import uploads

from .models import Post
from .services import ATTACHMENT_TYPES

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PostForm(core_forms.ModelForm):
    attachment_upload = forms.FileField(
        label=_("attachment (PDF, PNG or JPEG, e.g. a flyer)"), required=False
    )
    remove_attachment = forms.BooleanField(label=_("remove the current attachment"), required=False)
    event_url = forms.URLField(
        label=_("event web page"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Post
        fields = [
            "category",
            "title",
            "body",
            "event_starts_at",
            "event_ends_at",
            "event_place",
            "event_online",
            "event_url",
            "publish_from",
            "publish_until",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "event_starts_at": DATETIME,
            "event_ends_at": DATETIME,
            "publish_from": DATETIME,
            "publish_until": DATETIME,
        }
        help_texts = {
            "body": _(
                "Markdown: blank line between paragraphs, **bold**, lists with “- ”, links as [text](https://…)."
            ),
            "publish_from": _("Leave empty to publish as soon as the post is approved."),
            "publish_until": _("After this the post leaves the lists; its page stays, marked as past."),
            "event_starts_at": _("Only for an event: it then appears in the public events calendar."),
        }

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Post.Category.choices)
        self.fields["category"].choices = [(c, labels[c]) for c in categories]
        if len(categories) == 1:
            self.fields["category"].initial = categories[0]
        for name in ("event_starts_at", "event_ends_at", "publish_from", "publish_until"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if not (self.instance.pk and self.instance.attachment):
            del self.fields["remove_attachment"]

    def clean_attachment_upload(self):
        upload = self.cleaned_data.get("attachment_upload")
        if upload:
            uploads.validate_upload(upload, allowed=ATTACHMENT_TYPES)
        return upload

    def clean(self):
        data = super().clean()
        start, end = data.get("event_starts_at"), data.get("event_ends_at")
        if end and not start:
            self.add_error("event_starts_at", _("Give the start of the event too."))
        if start and end and end <= start:
            self.add_error("event_ends_at", _("The end must be after the start."))
        if (data.get("event_place") or data.get("event_online")) and not start:
            self.add_error("event_starts_at", _("An event needs a start date and time."))
        frm, until = data.get("publish_from"), data.get("publish_until")
        if frm and until and until <= frm:
            self.add_error("publish_until", _("The end of publication must be after its start."))
        return data


class PostEditForm(PostForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CommentForm(core_forms.Form):
    comment = forms.CharField(
        label=_("comment to the author"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class FlagsForm(core_forms.Form):
    pinned = forms.BooleanField(label=_("pinned to the top"), required=False)
    urgent = forms.BooleanField(label=_("urgent notice"), required=False)


def validation_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)
