package com.socactions.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class NoDelaySocketsTest {
  @Test
  void acceptedConnectionsHaveNaglesAlgorithmOff() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = NoDelaySockets.FACTORY.createServerSocket(0, 1, loopback);
        Socket client = new Socket(loopback, server.getLocalPort());
        Socket accepted = server.accept()) {
      assertThat(accepted.getTcpNoDelay()).isTrue();
      assertThat(client.getTcpNoDelay()).as("the JDK's default, which the fakes had").isFalse();
    }
  }
}
