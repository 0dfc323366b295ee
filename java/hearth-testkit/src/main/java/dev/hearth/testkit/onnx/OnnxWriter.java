package dev.hearth.testkit.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models for the tests: the few messages of onnx.proto they need (ModelProto, GraphProto, NodeProto,
 * TensorProto, ValueInfoProto, AttributeProto), field by field in protobuf's wire format with protobuf-java's
 * {@link CodedOutputStream}. Field numbers are onnx.proto's.
 */
public final class OnnxWriter {
    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private int counter;

    /** A graph input or output: its name, element type and dims (a String for a symbolic dim, an Integer otherwise). */
    public OnnxWriter input(String name, int type, Object... dims) {
        inputs.add(valueInfo(name, type, dims));
        return this;
    }

    public OnnxWriter output(String name, int type, Object... dims) {
        outputs.add(valueInfo(name, type, dims));
        return this;
    }

    public OnnxWriter floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        initializers.add(tensor(name, FLOAT, b.array(), dims));
        return this;
    }

    public OnnxWriter longs(String name, long[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        initializers.add(tensor(name, INT64, b.array(), dims));
        return this;
    }

    /** A node; attributes are (name, value) pairs with Long, Float or long[] values. */
    public OnnxWriter node(String op, List<String> in, List<String> out, Object... attributes) {
        nodes.add(message(o -> {
            for (String s : in) {
                o.writeString(1, s);
            }
            for (String s : out) {
                o.writeString(2, s);
            }
            o.writeString(3, op + "_" + counter++);
            o.writeString(4, op);
            for (int i = 0; i < attributes.length; i += 2) {
                String name = (String) attributes[i];
                Object value = attributes[i + 1];
                o.writeByteArray(5, message(a -> {
                    a.writeString(1, name);
                    switch (value) {
                        case Long l -> {
                            a.writeInt64(3, l);
                            a.writeInt32(20, 2); // INT
                        }
                        case Float f -> {
                            a.writeFloat(2, f);
                            a.writeInt32(20, 1); // FLOAT
                        }
                        case long[] ls -> {
                            for (long l : ls) {
                                a.writeInt64(8, l);
                            }
                            a.writeInt32(20, 7); // INTS
                        }
                        default -> throw new IllegalArgumentException("attribute type " + value.getClass());
                    }
                }));
            }
        }));
        return this;
    }

    public byte[] model(int opset) {
        byte[] graph = message(g -> {
            for (byte[] n : nodes) {
                g.writeByteArray(1, n);
            }
            g.writeString(2, "hearth-test-graph");
            for (byte[] t : initializers) {
                g.writeByteArray(5, t);
            }
            for (byte[] i : inputs) {
                g.writeByteArray(11, i);
            }
            for (byte[] o : outputs) {
                g.writeByteArray(12, o);
            }
        });
        return message(m -> {
            m.writeInt64(1, 8); // ir_version
            m.writeString(2, "hearth-tests");
            m.writeByteArray(7, graph);
            m.writeByteArray(8, message(op -> {
                op.writeString(1, "");
                op.writeInt64(2, opset);
            }));
        });
    }

    private static byte[] tensor(String name, int type, byte[] raw, long... dims) {
        return message(t -> {
            for (long d : dims) {
                t.writeInt64(1, d);
            }
            t.writeInt32(2, type);
            t.writeString(8, name);
            t.writeBytes(9, ByteString.copyFrom(raw));
        });
    }

    private static byte[] valueInfo(String name, int type, Object... dims) {
        byte[] shape = message(s -> {
            for (Object d : dims) {
                s.writeByteArray(1, message(dim -> {
                    if (d instanceof String p) {
                        dim.writeString(2, p);
                    } else {
                        dim.writeInt64(1, ((Number) d).longValue());
                    }
                }));
            }
        });
        byte[] tensorType = message(t -> {
            t.writeInt32(1, type);
            t.writeByteArray(2, shape);
        });
        return message(v -> {
            v.writeString(1, name);
            v.writeByteArray(2, message(tp -> tp.writeByteArray(1, tensorType)));
        });
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
