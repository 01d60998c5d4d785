package dev.anycastd.frr;

import dev.anycastd.testkit.frr.FrrLab;

/** The prefix contract on real FRR through bgpd's vty socket. */
class FrrPrefixContractThroughVtySocketTest extends FrrPrefixContractTest {

    FrrPrefixContractThroughVtySocketTest(FrrLab lab) {
        super(lab, LabTransport.VTY_SOCKET);
    }
}
