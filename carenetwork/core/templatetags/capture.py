"""{% capture as name %}…{% endcapture %}: renders its content into a variable instead of the page, so a
layout can wrap a block in an element only when the block has content."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist  # found by template inheritance, so {% block %} works inside
        self.name = name

    def render(self, context):
        context[self.name] = mark_safe(self.nodelist.render(context))  # already escaped when rendered
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Use {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
