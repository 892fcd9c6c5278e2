"""KubeVirt: libcloud's recorded responses (fixtures/libcloud/kubevirt) as replay routes.

Virtual machines are listed per namespace; only `default` has one (libcloud's empty
namespace recording answers the others).
"""

from __future__ import annotations

from tests.support.generic_clouds import FileRoute, serve_files
from tests.support.replay import ReplayServer

CREDENTIALS = {"key": "kubevirt-user", "secret": "kubevirt-pw-TESTONLY-8b1f", "host": "kubevirt.example.com"}
COUNTS = {"kubevirt.servers": 1, "kubevirt.images": 1, "kubevirt.flavors": 1}
ROUTES: tuple[FileRoute, ...] = (
    ("GET", "/api/v1/namespaces", "_api_v1_namespaces.json", {}),
    ("GET", "/apis/kubevirt.io/v1alpha3/namespaces/default/virtualmachines", "get_default_vms.json", {}),
    (
        "GET",
        "/apis/kubevirt.io/v1alpha3/namespaces/kube-node-lease/virtualmachines",
        "get_kube_node_lease_vms.json",
        {},
    ),
    (
        "GET",
        "/apis/kubevirt.io/v1alpha3/namespaces/kube-public/virtualmachines",
        "get_kube_public_vms.json",
        {},
    ),
    (
        "GET",
        "/apis/kubevirt.io/v1alpha3/namespaces/kube-system/virtualmachines",
        "get_kube_system_vms.json",
        {},
    ),
    ("GET", "/apis/kubevirt.io/v1alpha3/namespaces/kubevirt/virtualmachines", "get_kube_public_vms.json", {}),
    (
        "GET",
        "/apis/kubevirt.io/v1alpha3/namespaces/testreqlim/virtualmachines",
        "get_kube_public_vms.json",
        {},
    ),
    ("GET", "/api/v1/namespaces/default/services", "get_services.json", {}),
    ("GET", "/api/v1/namespaces/default/pods", "get_pods.json", {}),
)


def routes(replay: ReplayServer) -> None:
    serve_files(replay, "kubevirt", ROUTES)
