package dev.anycastd.frr;

import dev.anycastd.testkit.frr.FrrLab;

/** The prefix contract on real FRR through the vtysh program. */
class FrrPrefixContractThroughVtyshTest extends FrrPrefixContractTest {

    FrrPrefixContractThroughVtyshTest(FrrLab lab) {
        super(lab, LabTransport.VTYSH);
    }
}
