package dev.meshid.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshid.api.istio.v1.auth.IstioCertificateRequest;
import dev.meshid.api.istio.v1.auth.IstioCertificateResponse;
import dev.meshid.api.istio.v1.auth.IstioCertificateServiceGrpc;
import org.junit.jupiter.api.Test;

/** The generated API must stay wire-identical to Istio's: names, field numbers and types. */
class CaProtoWireTest {

    @Test
    void createCertificate_hasIstiosFullMethodName() {
        assertThat(IstioCertificateServiceGrpc.getCreateCertificateMethod().getFullMethodName())
                .isEqualTo("istio.v1.auth.IstioCertificateService/CreateCertificate");
    }

    @Test
    void request_hasIstiosFieldNumbers_andNoFieldTwo() {
        Descriptor d = IstioCertificateRequest.getDescriptor();
        assertThat(d.getFullName()).isEqualTo("istio.v1.auth.IstioCertificateRequest");
        assertThat(d.findFieldByNumber(1).getName()).isEqualTo("csr");
        assertThat(d.findFieldByNumber(1).getType()).isEqualTo(FieldDescriptor.Type.STRING);
        assertThat(d.findFieldByNumber(2)).isNull();
        assertThat(d.findFieldByNumber(3).getName()).isEqualTo("validity_duration");
        assertThat(d.findFieldByNumber(3).getType()).isEqualTo(FieldDescriptor.Type.INT64);
        assertThat(d.findFieldByNumber(4).getMessageType().getFullName()).isEqualTo("google.protobuf.Struct");
    }

    @Test
    void response_isRepeatedStringCertChain() {
        FieldDescriptor f = IstioCertificateResponse.getDescriptor().findFieldByNumber(1);
        assertThat(f.getName()).isEqualTo("cert_chain");
        assertThat(f.isRepeated()).isTrue();
        assertThat(f.getType()).isEqualTo(FieldDescriptor.Type.STRING);
    }

    @Test
    void request_bytesMatchHandEncodedWireFormat() throws Exception {
        IstioCertificateRequest r = IstioCertificateRequest.newBuilder()
                .setCsr("x")
                .setValidityDuration(300)
                .setMetadata(Struct.newBuilder().putFields("CertSigner", Value.newBuilder().setStringValue("s").build()))
                .build();
        byte[] wire = r.toByteArray();
        // field 1 (len-delimited) "x"; field 3 (varint) 300 = 0xAC 0x02; field 4 (len-delimited) struct
        assertThat(wire[0]).isEqualTo((byte) 0x0A);
        assertThat(wire[1]).isEqualTo((byte) 1);
        assertThat(wire[2]).isEqualTo((byte) 'x');
        assertThat(wire[3]).isEqualTo((byte) 0x18);
        assertThat(wire[4]).isEqualTo((byte) 0xAC);
        assertThat(wire[5]).isEqualTo((byte) 0x02);
        assertThat(wire[6]).isEqualTo((byte) 0x22);
        assertThat(IstioCertificateRequest.parseFrom(wire)).isEqualTo(r);
    }
}
