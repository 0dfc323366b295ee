/** The bin/hearth command line. */
module dev.hearth.cli {
    requires dev.hearth.runtime;
    requires dev.hearth.server;
    requires info.picocli;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;

    opens dev.hearth.cli to info.picocli;
}
