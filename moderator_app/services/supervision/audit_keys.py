"""What anchors the audit log outside the database: this workstation's id, its Ed25519 signing key, the
public keys it trusts, and its own copy of the checkpoints it signed. All of it lives in the user's
config folder (``MODERATOR_CONFIG_DIR`` overrides it), never in the database; the key can be given by
path instead (``MODERATOR_AUDIT_KEY``: one key file shared by a team, for instance).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import socket
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from moderator_app.domain.errors import InvalidInput
from moderator_app.domain.ids import new_id
from moderator_app.domain.supervision.anchor import Checkpoint, checkpoint_body
from moderator_app.domain.supervision.audit import ChainHead
from moderator_app.paths import user_config_dir

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ENV_KEY = "MODERATOR_AUDIT_KEY"
KEY_FILE = "audit-signing-key.pem"
TRUSTED_FILE = "audit-trusted-keys.txt"
WORKSTATION_FILE = "workstation-id"
STORE_DIR = "audit-checkpoints"
PREFIX = "ed25519:"


def _crypto() -> tuple[ModuleType, ModuleType, Any]:
    """The ``cryptography`` package, imported when a key is first needed: without it the log still
    works and verifies its chains; signing and checking checkpoints say what is missing."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:
        raise InvalidInput(
            "audit checkpoints need the 'cryptography' package: reinstall the workstation"
        ) from None
    return serialization, ed25519, InvalidSignature


def _write_private(path: Path, data: bytes) -> None:
    """Create a file only its owner can read, failing if it exists (never overwrite a key)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def workstation_identity(config: Path | None = None) -> tuple[str, str]:
    """This workstation's id (made once, kept in the config folder) and a label for people."""
    path = (config or user_config_dir()) / WORKSTATION_FILE
    try:
        wid = path.read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        wid = ""
    if not re.fullmatch(r"[0-9a-f-]{36}", wid):
        wid = new_id()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(wid + "\n", encoding="ascii")
        except OSError:
            pass  # a read-only config folder: this process is a workstation of its own
    host = re.sub(r"[^A-Za-z0-9._-]", "", socket.gethostname())[:60] or "workstation"
    return wid, host


def public_text(key: Ed25519PublicKey) -> str:
    serialization, _, _ = _crypto()
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PREFIX + base64.b64encode(raw).decode("ascii")


def parse_public(text: str) -> Ed25519PublicKey:
    text = text.strip()
    if not text.startswith(PREFIX):
        raise InvalidInput(f"not an audit public key (they start with {PREFIX}): {text[:60]!r}")
    _, ed25519, _ = _crypto()
    try:
        raw = base64.b64decode(text[len(PREFIX) :], validate=True)
        return ed25519.Ed25519PublicKey.from_public_bytes(raw)  # type: ignore[no-any-return]
    except ValueError:
        raise InvalidInput(f"not an audit public key: {text[:60]!r}") from None


class AuditKeys:
    """The signing key (made on first use), the trusted public keys, the local checkpoint copies."""

    def __init__(self, config: Path | None = None, key_path: Path | None = None) -> None:
        self.config = config or user_config_dir()
        env = os.environ.get(ENV_KEY)
        self.key_path = key_path or (Path(env).expanduser() if env else self.config / KEY_FILE)
        self.trusted_path = self.config / TRUSTED_FILE
        self._key: Ed25519PrivateKey | None = None

    def exists(self) -> bool:
        return self.key_path.exists()

    def private(self) -> Ed25519PrivateKey:
        if self._key is None:
            serialization, ed25519, _ = _crypto()
            try:
                data = self.key_path.read_bytes()
            except FileNotFoundError:
                key = ed25519.Ed25519PrivateKey.generate()
                data = key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
                try:
                    _write_private(self.key_path, data)
                except FileExistsError:  # another process made it first: use that one
                    data = self.key_path.read_bytes()
                except OSError as exc:
                    raise InvalidInput(
                        f"cannot create the audit signing key {self.key_path}: {exc.strerror}"
                    ) from None
            except OSError as exc:
                raise InvalidInput(
                    f"cannot read the audit signing key {self.key_path}: {exc.strerror}"
                ) from None
            try:
                loaded = serialization.load_pem_private_key(data, password=None)
            except (ValueError, TypeError):
                raise InvalidInput(f"{self.key_path} is not an audit signing key") from None
            if not isinstance(loaded, ed25519.Ed25519PrivateKey):
                raise InvalidInput(f"{self.key_path} is not an Ed25519 key")
            self._key = loaded
        return self._key

    def public(self) -> str:
        return public_text(self.private().public_key())

    def trusted(self) -> dict[str, str]:
        """Public key -> name: this workstation's own key, then the trusted-keys file (``KEY [name]``
        per line, ``#`` comments)."""
        keys: dict[str, str] = {}
        if self.exists():
            keys[self.public()] = "this workstation"
        try:
            lines = self.trusted_path.read_text(encoding="utf-8").splitlines()
        except (FileNotFoundError, UnicodeDecodeError):
            lines = []
        for line in lines:
            parts = line.split("#", 1)[0].split(None, 1)
            if parts and parts[0].startswith(PREFIX):
                keys.setdefault(parts[0], parts[1].strip() if len(parts) > 1 else "")
        return keys

    def trust(self, key: str, name: str = "") -> None:
        parse_public(key)
        if key in self.trusted():
            return
        self.trusted_path.parent.mkdir(parents=True, exist_ok=True)
        clean = re.sub(r"[^\w .@-]", "", name)[:80]
        with self.trusted_path.open("a", encoding="utf-8") as f:
            f.write(f"{key.strip()} {clean}".rstrip() + "\n")

    def sign(self, at: datetime, database: str, heads: Iterable[ChainHead]) -> Checkpoint:
        heads = tuple(sorted(heads, key=lambda h: h.origin))
        cid = new_id()
        signature = self.private().sign(checkpoint_body(cid, at, database, heads))
        return Checkpoint(
            cid, at, database, heads, self.public(), base64.b64encode(signature).decode("ascii")
        )

    # the copies outside the database -------------------------------------------------------------

    def store_path(self, database: str) -> Path:
        safe = re.sub(r"[^A-Za-z0-9]+", "_", database)[-60:].strip("_")
        digest = hashlib.sha256(database.encode("utf-8")).hexdigest()[:12]
        return self.config / STORE_DIR / f"{safe}-{digest}.jsonl"

    def keep(self, cp: Checkpoint) -> None:
        path = self.store_path(cp.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(to_json(cp) + "\n")

    def kept(self, database: str) -> list[Checkpoint]:
        try:
            return read_checkpoints(self.store_path(database))
        except FileNotFoundError:
            return []


def valid(cp: Checkpoint) -> bool:
    """Does the signature hold for this checkpoint's content, by the key it names?"""
    _, _, InvalidSignature = _crypto()
    try:
        key = parse_public(cp.signer)
        key.verify(base64.b64decode(cp.signature), checkpoint_body(cp.id, cp.at, cp.database, cp.heads))
    except (InvalidInput, InvalidSignature, ValueError):
        return False
    return True


def to_json(cp: Checkpoint) -> str:
    return json.dumps(
        {
            "id": cp.id,
            "at": cp.at.isoformat(timespec="microseconds"),
            "database": cp.database,
            "heads": sorted([h.origin, h.seq, h.hash] for h in cp.heads),
            "signer": cp.signer,
            "signature": cp.signature,
        },
        sort_keys=True,
    )


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """Checkpoints as written beside an export or kept by a workstation (one JSON object a line)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            heads = tuple(ChainHead(int(s), str(h), str(o)) for o, s, h in d["heads"])
            out.append(
                Checkpoint(
                    str(d["id"]),
                    datetime.fromisoformat(d["at"]),
                    str(d["database"]),
                    heads,
                    str(d["signer"]),
                    str(d["signature"]),
                )
            )
        except (ValueError, KeyError, TypeError):
            raise InvalidInput(f"{path} line {n} is not a checkpoint") from None
    return out
