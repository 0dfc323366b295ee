package dev.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DollarsTest {
    @Test
    void amountsFromTenCentsUpAreWrittenToTheCent() {
        assertThat(Dollars.format(new BigDecimal("12.345"))).isEqualTo("$12.35");
        assertThat(Dollars.format(new BigDecimal("0.5"))).isEqualTo("$0.50");
        assertThat(Dollars.format(new BigDecimal("1"))).isEqualTo("$1.00");
        assertThat(Dollars.format(0.1)).isEqualTo("$0.10");
    }

    @Test
    void smallerAmountsKeepTwoSignificantDigitsSoACentDoesNotHideThem() {
        assertThat(Dollars.format(new BigDecimal("0.00549"))).isEqualTo("$0.0055");
        assertThat(Dollars.format(new BigDecimal("0.005490000000"))).isEqualTo("$0.0055");
        assertThat(Dollars.format(new BigDecimal("0.000261"))).isEqualTo("$0.00026");
        assertThat(Dollars.format(new BigDecimal("0.016"))).isEqualTo("$0.016");
        assertThat(Dollars.format(new BigDecimal("0.0100000"))).isEqualTo("$0.01");
        assertThat(Dollars.format(new BigDecimal("0.0999"))).isEqualTo("$0.10");
        assertThat(Dollars.format(0.00549)).isEqualTo("$0.0055");
    }

    @Test
    void zeroAndNegativeAmounts() {
        assertThat(Dollars.format(BigDecimal.ZERO)).isEqualTo("$0.00");
        assertThat(Dollars.format(new BigDecimal("0E-9"))).isEqualTo("$0.00");
        assertThat(Dollars.format(new BigDecimal("-0.00549"))).isEqualTo("-$0.0055");
    }
}
