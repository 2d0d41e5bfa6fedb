package com.socactions.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ServerSocketFactory;

/**
 * Server sockets whose accepted connections have {@code TCP_NODELAY} on, for the upstream fakes'
 * {@code MockWebServer.setServerSocketFactory}. MockWebServer writes a response's headers and its
 * body separately and leaves Nagle's algorithm on, so every small answer waited for the client's
 * delayed ACK of the headers: about 40 ms per call on Linux, which made a fake scripted to answer
 * "at once" answer in 45 ms and one scripted to answer after 20 ms in 60.
 */
public final class NoDelaySockets extends ServerSocketFactory {
  /** Stateless; one for every fake. */
  public static final ServerSocketFactory FACTORY = new NoDelaySockets();

  private NoDelaySockets() {}

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new NoDelayServerSocket();
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    NoDelayServerSocket socket = new NoDelayServerSocket();
    socket.bind(new InetSocketAddress(port));
    return socket;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    NoDelayServerSocket socket = new NoDelayServerSocket();
    socket.bind(new InetSocketAddress(port), backlog);
    return socket;
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
      throws IOException {
    NoDelayServerSocket socket = new NoDelayServerSocket();
    socket.bind(new InetSocketAddress(address, port), backlog);
    return socket;
  }

  private static final class NoDelayServerSocket extends ServerSocket {
    NoDelayServerSocket() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      Socket socket = super.accept();
      socket.setTcpNoDelay(true);
      return socket;
    }
  }
}
