from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core import forms as core_forms
from portal.core.dates import fiscal_year_label, fiscal_year_of

from .models import Edition, Material


class EditionForm(core_forms.Form):
    fiscal_year = forms.IntegerField(label=_("fiscal year"), min_value=2019, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200, initial="ひきこもり支援ガイドブック")
    subtitle = forms.CharField(label=_("subtitle"), max_length=200, required=False)
    copy_from = forms.ModelChoiceField(
        label=_("start from the chapters of"), queryset=Edition.objects.all(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = fiscal_year_of()
        self.fields["copy_from"].label_from_instance = lambda e: (
            f"{fiscal_year_label(e.fiscal_year)}版 {e.title}"
        )


class EditionEditForm(core_forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    subtitle = forms.CharField(label=_("subtitle"), max_length=200, required=False)
    foreword = forms.CharField(
        label=_("foreword (Markdown)"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class ChapterForm(core_forms.Form):
    number = forms.IntegerField(label=_("chapter number"), min_value=1, max_value=99)
    title = forms.CharField(label=_("chapter title"), max_length=200)


class SectionAddForm(core_forms.Form):
    title = forms.CharField(label=_("section title"), max_length=200)


class SectionForm(core_forms.Form):
    order = forms.IntegerField(label=_("order"), min_value=1)
    title = forms.CharField(label=_("section title"), max_length=200)
    body = forms.CharField(
        label=_("text (Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "markdown-editor"}),
        help_text=_(
            "Headings with #, lists with -, tables with |. A figure: ![text alternative](figure:number)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class FigureForm(core_forms.Form):
    image = forms.FileField(label=_("image (PNG or JPEG)"))
    alt = forms.CharField(label=_("text alternative"), max_length=300)
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class MaterialForm(core_forms.ModelForm):
    file = forms.FileField(label=_("file"))
    changelog = forms.CharField(label=_("note on this version"), required=False, max_length=2000)

    class Meta:
        model = Material
        fields = ["title", "description", "category", "fiscal_year", "audience", "event"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].initial = fiscal_year_of()
        self.fields["event"].required = False

    def clean(self):
        data = super().clean()
        if data.get("audience") == Material.Audience.EVENT and not data.get("event"):
            self.add_error("event", _("Choose the meeting whose attendees may download this."))
        return data


class MaterialEditForm(MaterialForm):
    file = None
    changelog = None


class VersionForm(core_forms.Form):
    file = forms.FileField(label=_("new file"))
    changelog = forms.CharField(
        label=_("what changed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class LibraryFilter(core_forms.Form):
    year = forms.TypedChoiceField(label=_("Fiscal year"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(
        label=_("category"), required=False, choices=[("", _("All"))] + list(Material.Category.choices)
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All"))] + [(y, fiscal_year_label(y)) for y in years]
