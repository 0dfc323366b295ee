/** The bin/hearth command line. */
module dev.hearth.cli {
    requires dev.hearth.llama;
    requires dev.hearth.remote;
    requires dev.hearth.host;
    requires dev.hearth.router;
    requires dev.hearth.onnx;
    requires dev.hearth.testkit;
    requires info.picocli;
    requires org.slf4j;
    requires com.fasterxml.jackson.databind;

    opens dev.hearth.cli to info.picocli;
}
