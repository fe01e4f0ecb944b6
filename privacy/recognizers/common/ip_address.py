"""IP addresses, IPv4 (``192.168.1.20``) and IPv6 (``2001:db8::8a2e:370:7334``).

An address from a home connection leads to a subscriber. The patterns only find
candidates; Python's ``ipaddress`` decides, so "300.1.1.1" (octet over 255), "01.2.3.4"
(leading zero), a time "14:30:00" and a version "1.2.3.4.5" are not addresses.
"""

from __future__ import annotations

import ipaddress

from presidio_analyzer import Pattern

from privacy.recognizers.base import ConstantPatternRecognizer


class IpAddressRecognizer(ConstantPatternRecognizer):
    """A validated address is specific enough to redact without context."""

    ENTITY = "IP_ADDRESS"
    PATTERNS = (
        # Not inside a longer dotted number: "1.2.3.4.5" or "v1.2.3.4"; a full stop that
        # ends the sentence may follow either form.
        Pattern("IPv4", r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)", 0.6),
        Pattern("IPv6", r"(?<![\w:.])(?=[0-9a-f:]*[0-9a-f])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![\w:]|\.\w)", 0.6),
    )
    CONTEXT = ("ip", "osoite", "adress", "address", "vpn", "router", "reititin")


    def validate_result(self, pattern_text: str) -> bool | None:
        """False unless ``ipaddress`` parses it; a valid one keeps its pattern score."""
        try:
            ipaddress.ip_address(pattern_text)
        except ValueError:
            return False
        return None
