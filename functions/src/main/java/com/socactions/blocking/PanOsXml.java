package com.socactions.blocking;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The XML of the PAN-OS XML API, written and read safely: documents are written with a real XML
 * writer (every value escaped, so a hostile value stays text and never becomes an element), and
 * answers are read by a parser that refuses DTDs and external entities (no XXE, no entity expansion
 * bombs).
 */
final class PanOsXml {
  private static final XMLOutputFactory WRITERS = XMLOutputFactory.newFactory();

  private PanOsXml() {}

  /**
   * One address or network to tag.
   *
   * @param ip the registered-ip object text: an address or an IPv4 network
   * @param timeoutSeconds seconds until the firewall drops the tag; 0 for never
   */
  record Registration(String ip, String tag, long timeoutSeconds) {}

  /** One address or network to untag. */
  record Unregistration(String ip, String tag) {}

  /**
   * A {@code uid-message} registering each entry's tag. {@code persistent="1"} because a block must
   * survive a firewall reboot; the tag's {@code timeout} still expires it.
   */
  static String registerMessage(List<Registration> entries) {
    return updateMessage(List.of(), entries);
  }

  /**
   * One {@code uid-message} that first unregisters, then registers (in that document order): how a
   * tag's timeout is replaced, since registering a tag an address already holds is answered {@code
   * already exists, ignore} and keeps the old timeout. Either list may be empty; an empty section
   * is left out.
   */
  static String updateMessage(List<Unregistration> unregister, List<Registration> register) {
    return uidMessage(
        xml -> {
          if (!unregister.isEmpty()) {
            xml.writeStartElement("unregister");
            writeUnregistrations(xml, unregister);
            xml.writeEndElement();
          }
          if (!register.isEmpty()) {
            xml.writeStartElement("register");
            writeRegistrations(xml, register);
            xml.writeEndElement();
          }
        });
  }

  private static void writeRegistrations(XMLStreamWriter xml, List<Registration> entries)
      throws XMLStreamException {
    for (Registration entry : entries) {
      xml.writeStartElement("entry");
      xml.writeAttribute("ip", checked(entry.ip()));
      xml.writeAttribute("persistent", "1");
      xml.writeStartElement("tag");
      xml.writeStartElement("member");
      xml.writeAttribute("timeout", Long.toString(entry.timeoutSeconds()));
      xml.writeCharacters(checked(entry.tag()));
      xml.writeEndElement();
      xml.writeEndElement();
      xml.writeEndElement();
    }
  }

  /** A {@code uid-message} removing each entry's tag. */
  static String unregisterMessage(List<Unregistration> entries) {
    return updateMessage(entries, List.of());
  }

  private static void writeUnregistrations(XMLStreamWriter xml, List<Unregistration> entries)
      throws XMLStreamException {
    for (Unregistration entry : entries) {
      xml.writeStartElement("entry");
      xml.writeAttribute("ip", checked(entry.ip()));
      xml.writeStartElement("tag");
      xml.writeStartElement("member");
      xml.writeCharacters(checked(entry.tag()));
      xml.writeEndElement();
      xml.writeEndElement();
      xml.writeEndElement();
    }
  }

  /** {@code <show><system><info/></system></show>}: cheap, and any admin role may run it. */
  static String showSystemInfo() {
    return "<show><system><info></info></system></show>";
  }

  /**
   * Parses an answer with DTDs, external entities and XInclude off.
   *
   * @throws IllegalArgumentException when the text is not well-formed XML or declares a DTD
   */
  static Element parse(String text) {
    try {
      DocumentBuilder builder = hardenedFactory().newDocumentBuilder();
      builder.setErrorHandler(QUIET);
      Document document = builder.parse(new InputSource(new StringReader(text)));
      return document.getDocumentElement();
    } catch (SAXException | IOException e) {
      throw new IllegalArgumentException(
          "not well-formed XML (or it declares a DTD): " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a hardening feature", e);
    }
  }

  /** The child elements of {@code parent} named {@code name}, in document order. */
  static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().equals(name)) {
        found.add(element);
      }
    }
    return found;
  }

  /** Every element named {@code name} below {@code root}, at any depth. */
  static List<Element> descendants(Element root, String name) {
    NodeList nodes = root.getElementsByTagName(name);
    List<Element> found = new ArrayList<>(nodes.getLength());
    for (int i = 0; i < nodes.getLength(); i++) {
      found.add((Element) nodes.item(i));
    }
    return found;
  }

  /** The element's text with runs of white space made one space. */
  static String text(Element element) {
    return element.getTextContent().replaceAll("\\s+", " ").strip();
  }

  private static DocumentBuilderFactory hardenedFactory() throws ParserConfigurationException {
    // Per call: a factory is not thread-safe, and PAN-OS answers are few and small.
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
    factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    factory.setXIncludeAware(false);
    factory.setExpandEntityReferences(false);
    return factory;
  }

  private static String uidMessage(XmlBody payload) {
    return document(
        xml -> {
          xml.writeStartElement("uid-message");
          xml.writeStartElement("version");
          xml.writeCharacters("2.0");
          xml.writeEndElement();
          xml.writeStartElement("type");
          xml.writeCharacters("update");
          xml.writeEndElement();
          xml.writeStartElement("payload");
          payload.write(xml);
          xml.writeEndElement();
          xml.writeEndElement();
        });
  }

  private static String document(XmlBody body) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter xml = WRITERS.createXMLStreamWriter(out);
      body.write(xml);
      xml.flush();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing XML to a string failed", e);
    }
    return out.toString();
  }

  /**
   * The writer escapes markup but would pass characters XML 1.0 cannot hold (NUL, most C0 controls,
   * lone surrogates) and so write a document the firewall rejects whole; refuse them here.
   */
  private static String checked(String value) {
    if (value == null) {
      throw new IllegalArgumentException("an XML value cannot be null");
    }
    for (int i = 0; i < value.length(); ) {
      int c = value.codePointAt(i);
      boolean legal =
          c == 0x9
              || c == 0xA
              || c == 0xD
              || (c >= 0x20 && c <= 0xD7FF)
              || (c >= 0xE000 && c <= 0xFFFD)
              || (c >= 0x10000 && c <= 0x10FFFF);
      if (!legal) {
        throw new IllegalArgumentException(String.format("U+%04X cannot appear in XML", c));
      }
      i += Character.charCount(c);
    }
    return value;
  }

  @FunctionalInterface
  private interface XmlBody {
    void write(XMLStreamWriter xml) throws XMLStreamException;
  }

  /** Keeps the parser from printing to stderr; the exception carries the message. */
  private static final ErrorHandler QUIET =
      new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {}

        @Override
        public void error(SAXParseException e) throws SAXException {
          throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
          throw e;
        }
      };
}
