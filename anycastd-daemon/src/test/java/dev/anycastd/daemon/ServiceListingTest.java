package dev.anycastd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServiceListingTest {

    @Test
    void durationsReadAsOperatorsWriteThem() {
        assertThat(ServiceListing.duration(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(ServiceListing.duration(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(ServiceListing.duration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(ServiceListing.duration(Duration.ofMinutes(2))).isEqualTo("120s");
    }
}
