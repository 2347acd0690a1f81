"""Serializers of the import API shared by catalog/api.py and catalog/import_api.py."""

from rest_framework import serializers

from catalog.models import ImportMode


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8, UTF-16, GBK/GB18030 or CP1251; comma, semicolon, tab or |) or XLSX."
    )
    mode = serializers.ChoiceField(choices=ImportMode.choices, default=ImportMode.VALIDATE)
    # Not a BooleanField: in a multipart form DRF reads a missing boolean as false.
    transliterate = serializers.ChoiceField(
        choices=["true", "false", "1", "0", "on", "off", "yes", "no"],
        default="true",
        help_text=(
            "Write Uzbek text in Cyrillic in the Latin alphabet (a `transliterated` warning keeps "
            "the original); default true. `false`: the Uzbek columns are stored exactly as "
            "decoded."
        ),
    )

    def validate_transliterate(self, value: str) -> bool:
        return str(value).lower() in ("true", "1", "on", "yes")

    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text=(
            'Optional: a JSON object `{file_column: field}`, e.g. `{"Код товара": "sku"}`, for '
            "columns the aliases do not recognise. It is remembered for your seller and this "
            "header and applied to the next upload with the same header. 400 on `mapping` for "
            "invalid JSON, an unknown field, a column the file does not have, or a field "
            "mapped twice; nothing is stored then."
        ),
    )


class ErrorExampleSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="An offending value as the file had it.")
    count = serializers.IntegerField(help_text="Rows with this value.")


class ErrorGroupSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The row error code, e.g. `unknown_brand`.")
    column = serializers.CharField(help_text="The canonical column (or the file's header text).")
    severity = serializers.ChoiceField(choices=["error", "warning"])
    count = serializers.IntegerField(help_text="Row errors with this code in this column.")
    distinct = serializers.IntegerField(help_text="Distinct offending values among them.")
    examples = ErrorExampleSerializer(
        many=True, help_text="The most frequent offending values (at most 5), most rows first."
    )
    message = serializers.CharField(help_text="What to do, in the request's language.")
