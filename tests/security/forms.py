"""Find the forms of a page (action, method, fields) with the standard library's HTML parser."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    fields: dict[str, str] = field(default_factory=dict)
    file_fields: list[str] = field(default_factory=list)
    hx_post: str = ""

    @property
    def is_upload(self) -> bool:
        return bool(self.file_fields)


class _FormParser(HTMLParser):
    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(
                action=a.get("action") or self.page_path,
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype", ""),
                hx_post=a.get("hx-post", ""),
            )
            self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.current.file_fields.append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.current.fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "reset", "image"):
                self.current.fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self.select = name
            self.current.fields.setdefault(name, "")
        elif tag == "option" and self.select:
            # The selected option, else the first real choice (not "---------").
            value = a.get("value", "")
            if "selected" in a or (value and not self.current.fields.get(self.select)):
                self.current.fields[self.select] = value
        elif tag == "textarea" and name:
            self.current.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def page_forms(html: str, page_path: str) -> list[Form]:
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms
