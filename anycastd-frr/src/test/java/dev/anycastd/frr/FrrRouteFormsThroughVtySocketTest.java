package dev.anycastd.frr;

import dev.anycastd.testkit.frr.FrrLab;

/** Route forms on real FRR through bgpd's vty socket. */
class FrrRouteFormsThroughVtySocketTest extends FrrRouteFormsTest {

    FrrRouteFormsThroughVtySocketTest(FrrLab lab) {
        super(lab, LabTransport.VTY_SOCKET);
    }
}
