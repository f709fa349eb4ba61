"""deploy/: the script parses, the nginx configuration it renders is valid nginx (when nginx is installed)
and routes by the affinity cookie, and the load test's affinity check reads the proxy's log right."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "deploy" / "replicas.sh"


def render(tmp_path: Path, k: int, port: int) -> Path:
    env = {**os.environ, "DEPLOY_DIR": str(tmp_path)}
    done = subprocess.run(["bash", str(SCRIPT), "--render-only", str(k), str(port)], env=env,
                          capture_output=True, text=True, timeout=30, check=True)
    conf = Path(done.stdout.strip())
    assert conf == tmp_path / "nginx.conf"
    return conf


def test_the_script_parses():
    subprocess.run(["bash", "-n", str(SCRIPT)], check=True, timeout=30)


def test_the_script_says_how_to_use_it():
    done = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "Usage: deploy/replicas.sh" in done.stderr


@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_rendered_config_lists_k_replicas_behind_a_cookie_hash(tmp_path, k):
    text = render(tmp_path, k, 8600).read_text()
    servers = re.findall(r"^\s*server 127\.0\.0\.1:(\d+) ", text, flags=re.MULTILINE)
    assert servers == [str(8600 + i) for i in range(1, k + 1)]
    assert "listen 127.0.0.1:8600;" in text
    assert "hash $symlab_route consistent;" in text
    upstream = text.split("upstream symlab_replicas {", 1)[1].split("}", 1)[0]
    assert "ip_hash" not in upstream
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    assert "@" not in text  # every placeholder filled in


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx)")
@pytest.mark.parametrize("k", [1, 2])
def test_nginx_accepts_the_rendered_config(tmp_path, k):
    conf = render(tmp_path, k, 8600)
    done = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(conf),
                           "-e", str(tmp_path / "logs" / "error.log")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def test_the_affinity_check_counts_sessions_per_replica_and_catches_a_split():
    from benchmarks._replicas import affinity
    from benchmarks._students import SessionResult

    sessions = [SessionResult(i, 1000 + i, "3", 5000 + i, route=f"r{i}") for i in range(3)]
    line = '127.0.0.1 [02/Dec/2026:10:00:00 +0000] "GET {} HTTP/1.1" {} upstream={} route={} rt=0.1'
    lines = [line.format("/", 200, "127.0.0.1:8601", "r0"),
             line.format("/_stcore/stream", 101, "127.0.0.1:8601", "r0"),
             line.format("/?seed=3", 200, "127.0.0.1:8602", "r1"),
             line.format("/_stcore/stream", 101, "127.0.0.1:8602", "r1"),
             line.format("/", 200, "127.0.0.1:8601", "r2"),
             line.format("/_stcore/stream", 101, "127.0.0.1:8602", "r2")]  # r2's websocket went elsewhere
    per_replica, problems = affinity(sessions, lines)
    assert per_replica == {"127.0.0.1:8601": 1, "127.0.0.1:8602": 1}
    assert len(problems) == 1 and problems[0].startswith("session 2 (route r2)")
