package dev.anycastd.frr;

import dev.anycastd.testkit.frr.FrrLab;

/** Route forms on real FRR through the vtysh program. */
class FrrRouteFormsThroughVtyshTest extends FrrRouteFormsTest {

    FrrRouteFormsThroughVtyshTest(FrrLab lab) {
        super(lab, LabTransport.VTYSH);
    }
}
