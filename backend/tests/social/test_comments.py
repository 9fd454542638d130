"""Comments: create (sanitised, rate limited), list, edit, delete (contract §2.12, §4.7)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from src.interactions.models import Comment
from tests.conftest import AppHarness
from tests.trips.helpers import Rider, create_trip, make_rider, published_trip, set_user

COMMENT_KEYS = {
    "id",
    "user_id",
    "trip_id",
    "content",
    "created_at",
    "updated_at",
    "is_edited",
    "author",
}


def error(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert body["success"] is False, body
    assert body["data"] is None, body
    return dict(body["error"])


async def post_comment(h: AppHarness, rider: Rider, trip_id: str, content: Any) -> Any:
    return await h.client.post(
        f"/trips/{trip_id}/comments", json={"content": content}, headers=rider.headers
    )


async def comment_rows(h: AppHarness) -> int:
    async with h.services.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count(Comment.id))) or 0)


async def _setup(h: AppHarness) -> tuple[Rider, Rider, str]:
    ana, bob = await make_rider(h, "ana"), await make_rider(h, "bob")
    trip_id = (await published_trip(h, ana))["trip_id"]
    return ana, bob, trip_id


async def test_create_shape_trimming_and_sanitising(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    response = await post_comment(h, bob, trip_id, "  ¡Qué ruta más bonita!  ")
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"success", "data", "error"}
    assert body["error"] is None
    comment = body["data"]
    assert set(comment) == COMMENT_KEYS
    assert comment["content"] == "¡Qué ruta más bonita!"
    assert (comment["user_id"], comment["trip_id"]) == (bob.id, trip_id)
    assert (comment["is_edited"], comment["updated_at"], comment["author"]) == (False, None, None)
    assert comment["created_at"].endswith("Z")

    hostile = (
        '<p onclick="x()">Hola <script>alert(1)</script><b>rider</b> '
        '<a href="javascript:alert(1)">uno</a> <a href="https://ok.example" title="t">dos</a>'
        "<img src=x onerror=alert(1)></p>"
    )
    cleaned = (await post_comment(h, ana, trip_id, hostile)).json()["data"]["content"]
    assert cleaned == (
        '<p>Hola <b>rider</b> <a>uno</a> <a href="https://ok.example" title="t">dos</a></p>'
    )
    # 500 characters after trimming is the maximum
    longest = await post_comment(h, bob, trip_id, "  " + "a" * 500 + "\n")
    assert longest.status_code == 201
    assert len(longest.json()["data"]["content"]) == 500


async def test_create_validation_and_trip_errors(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    draft = (await create_trip(h, ana))["trip_id"]
    for content in ("", "   ", "a" * 501, 42, None):
        bad = await post_comment(h, bob, trip_id, content)
        assert bad.status_code == 400, content
        assert (error(bad)["code"], error(bad)["field"]) == ("VALIDATION_ERROR", "content")
    only_markup = await post_comment(h, bob, trip_id, "<script>alert(1)</script>")
    assert only_markup.status_code == 400
    assert error(only_markup) == {
        "code": "VALIDATION_ERROR",
        "message": "Error de validación en el campo 'content': El comentario no puede estar vacío",
        "field": "content",
    }
    no_body = await h.client.post(f"/trips/{trip_id}/comments", headers=bob.headers)
    assert (no_body.status_code, error(no_body)["code"]) == (400, "VALIDATION_ERROR")

    unknown = await post_comment(h, bob, "nope", "Hola")
    assert (unknown.status_code, error(unknown)) == (
        404,
        {"code": "HTTP_404", "message": "El viaje no existe"},
    )
    own_draft = await post_comment(h, ana, draft, "Hola")
    assert (own_draft.status_code, error(own_draft)) == (
        400,
        {"code": "HTTP_400", "message": "Solo puedes comentar viajes publicados"},
    )
    other_draft = await post_comment(h, bob, draft, "Hola")
    assert (other_draft.status_code, error(other_draft)["code"]) == (403, "HTTP_403")
    anonymous = await h.client.post(f"/trips/{trip_id}/comments", json={"content": "Hola"})
    assert (anonymous.status_code, error(anonymous)["code"]) == (401, "UNAUTHORIZED")
    # the author may comment on their own published trip
    assert (await post_comment(h, ana, trip_id, "Gracias")).status_code == 201
    assert await comment_rows(h) == 1


async def test_list_is_oldest_first_with_authors_and_offsets(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    await h.client.put("/users/bob/profile", json={"full_name": "Bob Rider"}, headers=bob.headers)
    for rider, text in ((bob, "uno"), (ana, "dos"), (bob, "tres")):
        assert (await post_comment(h, rider, trip_id, text)).status_code == 201

    response = await h.client.get(f"/trips/{trip_id}/comments")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"success", "data", "error"}
    page = body["data"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 50, 0)
    assert [c["content"] for c in page["items"]] == ["uno", "dos", "tres"]
    first = page["items"][0]
    assert set(first) == COMMENT_KEYS
    assert first["author"] == {
        "user_id": bob.id,
        "username": "bob",
        "full_name": "Bob Rider",
        "profile_photo_url": None,
    }
    assert page["items"][1]["author"]["username"] == "ana"

    window = (await h.client.get(f"/trips/{trip_id}/comments?limit=1&offset=1")).json()["data"]
    assert ([c["content"] for c in window["items"]], window["total"]) == (["dos"], 3)
    beyond = (await h.client.get(f"/trips/{trip_id}/comments?offset=10")).json()["data"]
    assert (beyond["items"], beyond["total"], beyond["offset"]) == ([], 3, 10)
    for query, field in (
        ("limit=0", "query.limit"),
        ("limit=51", "query.limit"),
        ("offset=-1", "query.offset"),
    ):
        bad = await h.client.get(f"/trips/{trip_id}/comments?{query}")
        assert (bad.status_code, error(bad)["field"]) == (400, field)
    unknown = await h.client.get("/trips/nope/comments")
    assert (unknown.status_code, error(unknown)) == (
        404,
        {"code": "HTTP_404", "message": "El viaje no existe"},
    )


async def test_edit_comment(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    comment = (await post_comment(h, bob, trip_id, "Primera versión")).json()["data"]

    edited = await h.client.put(
        f"/comments/{comment['id']}",
        json={"content": " <i>Segunda</i> versión<script>x</script> "},
        headers=bob.headers,
    )
    assert edited.status_code == 200, edited.text
    data = edited.json()["data"]
    assert set(data) == COMMENT_KEYS
    assert data["content"] == "<i>Segunda</i> versión"
    assert (data["is_edited"], data["author"], data["id"]) == (True, None, comment["id"])
    assert data["updated_at"] is not None
    assert data["updated_at"] >= data["created_at"]
    listed = (await h.client.get(f"/trips/{trip_id}/comments")).json()["data"]["items"]
    assert (listed[0]["content"], listed[0]["is_edited"]) == ("<i>Segunda</i> versión", True)

    not_author = await h.client.put(
        f"/comments/{comment['id']}", json={"content": "mío"}, headers=ana.headers
    )
    assert (not_author.status_code, error(not_author)) == (
        403,
        {"code": "HTTP_403", "message": "Solo puedes editar tus propios comentarios"},
    )
    unknown = await h.client.put("/comments/nope", json={"content": "x"}, headers=bob.headers)
    assert (unknown.status_code, error(unknown)) == (
        404,
        {"code": "HTTP_404", "message": "El comentario no existe"},
    )
    blank = await h.client.put(
        f"/comments/{comment['id']}", json={"content": "  "}, headers=bob.headers
    )
    assert (blank.status_code, error(blank)["field"]) == (400, "content")
    anonymous = await h.client.put(f"/comments/{comment['id']}", json={"content": "x"})
    assert anonymous.status_code == 401


async def test_delete_comment_by_author_or_trip_owner(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    carl = await make_rider(h, "carl")
    first = (await post_comment(h, bob, trip_id, "uno")).json()["data"]["id"]
    second = (await post_comment(h, bob, trip_id, "dos")).json()["data"]["id"]

    stranger = await h.client.delete(f"/comments/{first}", headers=carl.headers)
    assert (stranger.status_code, error(stranger)) == (
        403,
        {"code": "HTTP_403", "message": "No tienes permiso para eliminar este comentario"},
    )
    by_owner = await h.client.delete(f"/comments/{first}", headers=ana.headers)
    assert (by_owner.status_code, by_owner.content) == (204, b"")
    by_author = await h.client.delete(f"/comments/{second}", headers=bob.headers)
    assert (by_author.status_code, by_author.content) == (204, b"")
    gone = await h.client.delete(f"/comments/{second}", headers=bob.headers)
    assert (gone.status_code, error(gone)) == (
        404,
        {"code": "HTTP_404", "message": "El comentario no existe"},
    )
    assert (await h.client.delete(f"/comments/{first}")).status_code == 401
    assert await comment_rows(h) == 0


async def test_a_trip_that_became_invisible(harness: AppHarness) -> None:
    """Once the author hides their trips, a commenter can no longer read or edit the
    conversation (403 as the trip detail), but can still delete their own words."""
    h = harness
    ana, bob, trip_id = await _setup(h)
    comment = (await post_comment(h, bob, trip_id, "Hola")).json()["data"]["id"]
    await set_user(h, ana, trip_visibility="private")
    expected = {
        "code": "HTTP_403",
        "message": "Este viaje es privado y solo el propietario puede verlo",
    }
    for response in (
        await h.client.get(f"/trips/{trip_id}/comments", headers=bob.headers),
        await h.client.put(f"/comments/{comment}", json={"content": "x"}, headers=bob.headers),
        await post_comment(h, bob, trip_id, "¿Sigues ahí?"),
    ):
        assert (response.status_code, error(response)) == (403, expected)
    assert (
        await h.client.get(f"/trips/{trip_id}/comments", headers=ana.headers)
    ).status_code == 200
    assert (await h.client.delete(f"/comments/{comment}", headers=bob.headers)).status_code == 204


async def test_ten_comments_per_hour(harness: AppHarness) -> None:
    h = harness
    ana, bob, trip_id = await _setup(h)
    other_trip = (await published_trip(h, ana, title="Otro"))["trip_id"]
    # refused attempts do not use up the allowance
    for _ in range(3):
        assert (await post_comment(h, bob, "nope", "x")).status_code == 404
        assert (await post_comment(h, bob, trip_id, "")).status_code == 400
    for i in range(10):
        target = trip_id if i % 2 else other_trip
        assert (await post_comment(h, bob, target, f"comentario {i}")).status_code == 201

    limited = await post_comment(h, bob, trip_id, "uno más")
    assert limited.status_code == 429
    body = error(limited)
    assert body["code"] == "HTTP_429"
    assert "field" not in body
    assert body["message"].startswith("Has alcanzado el límite de 10 comentarios por hora.")
    retry_after = int(limited.headers["Retry-After"])
    assert 0 < retry_after <= 3600
    english = await h.client.post(
        f"/trips/{other_trip}/comments",
        json={"content": "one more"},
        headers={**bob.headers, "Accept-Language": "en"},
    )
    assert english.status_code == 429
    assert error(english)["message"].startswith("You have reached the limit of 10 comments")
    # per rider: others still comment
    assert (await post_comment(h, ana, trip_id, "Gracias a todos")).status_code == 201
    assert await comment_rows(h) == 11
