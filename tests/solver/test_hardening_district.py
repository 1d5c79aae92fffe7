"""Issue 14, district: instance paths stay in the district folder, a rerun leaves no stale school
plan, outputs are contract-clean, and a tls:// Dask scheduler works with certificates."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from instances.district import write_district
from models.problems import InputRejected
from solver.district.load import load_district
from tests.conftest import cli_main


@pytest.fixture(scope="module")
def small_district(tmp_path_factory) -> Path:
    return write_district(tmp_path_factory.mktemp("d"), 2, 60, 3)


def _with_instance(district: Path, tmp_path: Path, value: str) -> Path:
    raw = json.loads(district.read_text(encoding="utf-8"))
    raw["schools"][0]["instance"] = value
    out = district.parent / "edited.json"
    out.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return out


@pytest.mark.parametrize("kind", ["dotdot", "absolute", "deep-dotdot", "link"])
def test_instance_paths_may_not_leave_the_district_folder(small_district, tmp_path, capsys, kind):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"format": "afterschool-instance/1", "school": {"id": "TOPSECRET"}}), encoding="utf-8")
    value = {
        "dotdot": f"../{tmp_path.name}/secret.json",
        "absolute": str(secret),
        "deep-dotdot": f"schools/../../{tmp_path.name}/secret.json",
        "link": "schools/link.json",
    }[kind]
    link = small_district.parent / "schools" / "link.json"
    link.unlink(missing_ok=True)
    if kind == "link":
        link.symlink_to(secret)
    # the district's parent is tmp_path_factory's base; make the ../ path point at our secret there
    if kind in ("dotdot", "deep-dotdot"):
        target = small_district.parent.parent / tmp_path.name
        target.mkdir(exist_ok=True)
        (target / "secret.json").write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
    path = _with_instance(small_district, tmp_path, value)
    with pytest.raises(InputRejected) as exc:
        load_district(path)
    p = exc.value.report.errors[0]
    assert (p.rule, p.field) == ("FMT-VALUE", "instance")
    code, out = cli_main(capsys, "district", path, "--workers", "1", "--time-limit", "1", "-o", tmp_path / "out")
    assert code == 2 and "TOPSECRET" not in out
    link.unlink(missing_ok=True)


def test_a_rerun_leaves_no_stale_school_plan_and_outputs_keep_the_contract(small_district, tmp_path, capsys):
    import jsonschema

    out = tmp_path / "out"
    code, _ = cli_main(
        capsys, "district", small_district, "--workers", "1", "--time-limit", "3", "--rounds", "1", "-o", out, "--quiet"
    )
    assert code in (0, 1)
    schools = sorted(p.name for p in (out / "schools").iterdir())
    assert len([n for n in schools if n.endswith(".plan.json")]) == 2
    # what the district writes keeps the contract (no null where formats.md allows none)
    _, inst_schema = cli_main(capsys, "schema", "instance")
    _, plan_schema = cli_main(capsys, "schema", "plan")
    for f in (out / "schools").glob("*.instance.json"):
        jsonschema.validate(json.loads(f.read_text(encoding="utf-8")), json.loads(inst_schema))
        assert "previous_plan" not in f.read_text(encoding="utf-8")
    for f in (out / "schools").glob("*.plan.json"):
        jsonschema.validate(json.loads(f.read_text(encoding="utf-8")), json.loads(plan_schema))
    # break the first school: the rerun must not leave its old plan looking current
    raw = json.loads(small_district.read_text(encoding="utf-8"))
    first = raw["schools"][0]
    broken = small_district.parent / first["instance"]
    saved = broken.read_bytes()
    try:
        broken.write_text("{broken", encoding="utf-8")
        code, _ = cli_main(
            capsys,
            "district",
            small_district,
            "--workers",
            "1",
            "--time-limit",
            "3",
            "--rounds",
            "1",
            "-o",
            out,
            "--quiet",
        )
        assert code == 1
        assert not (out / "schools" / f"{first['id']}.plan.json").exists()
        assert not (out / "schools" / f"{first['id']}.instance.json").exists()
        assert not [p for p in out.rglob("*") if p.name.startswith(".")]  # no temporary files left
    finally:
        broken.write_bytes(saved)


def test_district_output_folder_checked_before_the_run(small_district, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, out = cli_main(capsys, "district", small_district, "--workers", "1", "-o", blocker / "out")
    assert code == 2 and "[FMT-FILE]" in out


def _certs(folder: Path) -> tuple[Path, Path, Path]:
    """A CA, and a certificate for 127.0.0.1 signed by it (one cert serves cluster and client here)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("test-ca"))
        .issuer_name(name("test-ca"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return paths


def test_tls_scheduler_with_certificates(small_district, tmp_path, capsys):
    from dask.distributed import LocalCluster
    from distributed.security import Security

    ca, cert, key = _certs(tmp_path)
    sec = Security(
        tls_ca_file=str(ca),
        tls_client_cert=str(cert),
        tls_client_key=str(key),
        tls_scheduler_cert=str(cert),
        tls_scheduler_key=str(key),
        tls_worker_cert=str(cert),
        tls_worker_key=str(key),
        require_encryption=True,
    )
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tls://",
        host="127.0.0.1",
        security=sec,
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://")
        # without certificates: a clean refusal (exit 2), no traceback
        code, out = cli_main(
            capsys,
            "district",
            small_district,
            "--scheduler",
            address,
            "--time-limit",
            "2",
            "--rounds",
            "1",
            "-o",
            tmp_path / "o1",
            "--quiet",
        )
        assert code == 2, out
        # certificates for a tcp:// address make no sense: refused
        code, out = cli_main(
            capsys,
            "district",
            small_district,
            "--scheduler",
            "tcp://127.0.0.1:1",
            "--tls-ca",
            ca,
            "--tls-cert",
            cert,
            "--tls-key",
            key,
            "-o",
            tmp_path / "o2",
        )
        assert code == 2 and "tls://" in out
        code, out = cli_main(
            capsys,
            "district",
            small_district,
            "--scheduler",
            address,
            "--tls-ca",
            ca,
            "--tls-cert",
            cert,
            "--tls-key",
            key,
            "--time-limit",
            "3",
            "--rounds",
            "1",
            "-o",
            tmp_path / "o3",
            "--quiet",
        )
        assert code in (0, 1), out
        assert len(list((tmp_path / "o3" / "schools").glob("*.plan.json"))) == 2
