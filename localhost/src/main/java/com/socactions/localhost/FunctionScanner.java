package com.socactions.localhost;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Finds the {@code @FunctionName} methods of every class below a package, in directories and jars
 * alike, and works out how to call each one.
 *
 * <p>Failure modes: a function with neither an HTTP, a timer nor a queue trigger is skipped with a
 * warning (the local host cannot drive it, but the rest of the app still runs). A function the host
 * <em>would</em> drive but cannot bind (unsupported body type, a parameter with no known source, a
 * non-String {@code @BindingName}) and duplicate function names raise {@link IllegalStateException}
 * naming the method, because serving it half-bound would fail confusingly at request time. Classes
 * that cannot be loaded (missing optional dependencies) are skipped with a log line.
 */
public final class FunctionScanner {
  private static final Logger LOG = FunctionLogging.hostLogger();

  private FunctionScanner() {}

  /**
   * Scans {@code packagePrefix} (e.g. {@code com.socactions}, subpackages included) in {@code
   * loader}.
   *
   * @return the functions, sorted by name
   * @throws IllegalStateException when a function cannot be bound or two functions share a name
   * @throws UncheckedIOException when the class path cannot be read
   */
  public static List<FunctionDefinition> scan(String packagePrefix, ClassLoader loader) {
    List<FunctionDefinition> found = new ArrayList<>();
    for (String className : classNames(packagePrefix, loader)) {
      Class<?> type;
      try {
        type = Class.forName(className, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        LOG.log(Level.FINE, "Skipping class " + className + ": " + e);
        continue;
      }
      for (Method method : functionMethods(type)) {
        FunctionDefinition definition = describe(method);
        if (definition != null) {
          found.add(definition);
        }
      }
    }
    rejectDuplicateNames(found);
    found.sort(Comparator.comparing(FunctionDefinition::name, String.CASE_INSENSITIVE_ORDER));
    return found;
  }

  /** Every class name below the package, gathered from all class path roots that contain it. */
  static Set<String> classNames(String packagePrefix, ClassLoader loader) {
    String path = packagePrefix.replace('.', '/');
    Set<String> names = new TreeSet<>();
    try {
      Enumeration<URL> roots = loader.getResources(path);
      while (roots.hasMoreElements()) {
        names.addAll(classNamesAt(roots.nextElement(), path));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list classes below " + packagePrefix, e);
    }
    return names;
  }

  /**
   * Class names found at one resource URL ({@code file:} directory or {@code jar:} entry) for
   * {@code path}.
   */
  static Set<String> classNamesAt(URL url, String path) throws IOException {
    Set<String> names = new TreeSet<>();
    switch (url.getProtocol()) {
      case "file" -> {
        Path dir;
        try {
          dir = Path.of(url.toURI());
        } catch (URISyntaxException e) {
          throw new IOException("Bad class path URL " + url, e);
        }
        if (!Files.isDirectory(dir)) {
          return names;
        }
        try (Stream<Path> files = Files.walk(dir)) {
          files
              .filter(f -> f.toString().endsWith(".class"))
              .forEach(
                  f -> {
                    String relative =
                        dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
                    addClassName(names, path + "/" + relative);
                  });
        }
      }
      case "jar" -> {
        // Open the jar itself rather than connecting to the entry: connecting fails for jars
        // written
        // without directory entries, and the connection cache would keep the jar open for good.
        URL jarFileUrl = ((JarURLConnection) url.openConnection()).getJarFileURL();
        Path jarPath;
        try {
          jarPath = Path.of(jarFileUrl.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw new IOException("Cannot open jar " + jarFileUrl, e);
        }
        try (JarFile jar = new JarFile(jarPath.toFile())) {
          String prefix = path + "/";
          for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            JarEntry entry = entries.nextElement();
            if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
              addClassName(names, entry.getName());
            }
          }
        }
      }
      default ->
          LOG.warning("Cannot scan class path URL with protocol " + url.getProtocol() + ": " + url);
    }
    return names;
  }

  private static void addClassName(Set<String> names, String resource) {
    if (!resource.endsWith(".class")
        || resource.endsWith("module-info.class")
        || resource.endsWith("package-info.class")) {
      return;
    }
    names.add(resource.substring(0, resource.length() - ".class".length()).replace('/', '.'));
  }

  private static List<Method> functionMethods(Class<?> type) {
    Method[] methods;
    try {
      methods = type.getMethods();
    } catch (LinkageError e) {
      LOG.log(Level.FINE, "Skipping class " + type.getName() + ": " + e);
      return List.of();
    }
    List<Method> result = new ArrayList<>();
    for (Method method : methods) {
      // getMethods() also returns inherited methods; only count each where it is declared so a
      // subclass does not duplicate its parent's function.
      if (method.getDeclaringClass() == type && method.isAnnotationPresent(FunctionName.class)) {
        result.add(method);
      }
    }
    result.sort(Comparator.comparing(Method::getName));
    return result;
  }

  /**
   * Describes one annotated method; {@code null} when its trigger is not one the local host drives.
   */
  static FunctionDefinition describe(Method method) {
    String name = method.getAnnotation(FunctionName.class).value();
    String where = method.getDeclaringClass().getName() + "." + method.getName();
    if (!Modifier.isStatic(method.getModifiers())
        && Modifier.isAbstract(method.getDeclaringClass().getModifiers())) {
      throw new IllegalStateException(
          "Function "
              + name
              + " ("
              + where
              + ") is an instance method of an abstract class or interface; the host cannot"
              + " instantiate it");
    }
    Parameter[] parameters = method.getParameters();
    HttpTrigger http = null;
    TimerTrigger timer = null;
    QueueTrigger queue = null;
    Type requestType = null;
    for (Parameter parameter : parameters) {
      if (parameter.isAnnotationPresent(HttpTrigger.class)) {
        http = parameter.getAnnotation(HttpTrigger.class);
        requestType = parameter.getParameterizedType();
      }
      if (parameter.isAnnotationPresent(TimerTrigger.class)) {
        timer = parameter.getAnnotation(TimerTrigger.class);
      }
      if (parameter.isAnnotationPresent(QueueTrigger.class)) {
        queue = parameter.getAnnotation(QueueTrigger.class);
      }
    }
    if (http == null && timer == null && queue == null) {
      LOG.warning(
          "Skipping function "
              + name
              + " ("
              + where
              + "): only HTTP, timer and queue triggers run locally");
      return null;
    }
    List<ParameterSource> sources = new ArrayList<>();
    for (Parameter parameter : parameters) {
      sources.add(sourceOf(parameter, name, where));
    }
    if (http != null) {
      BodyType bodyType = bodyTypeOf(requestType, name, where);
      String route = http.route().isBlank() ? name : http.route();
      FunctionInfo info =
          new FunctionInfo(
              name,
              TriggerKind.HTTP,
              route,
              Set.copyOf(Arrays.asList(http.methods())),
              http.authLevel(),
              null);
      boolean binary = http.dataType().strip().equalsIgnoreCase("binary");
      return new FunctionDefinition(info, method, bodyType, binary, sources);
    }
    if (queue != null) {
      FunctionInfo info =
          new FunctionInfo(
              name,
              TriggerKind.QUEUE,
              null,
              Set.of(),
              null,
              null,
              queue.queueName(),
              queue.connection().isBlank() ? QueueRunner.DEFAULT_CONNECTION : queue.connection());
      return new FunctionDefinition(info, method, null, false, sources);
    }
    FunctionInfo info =
        new FunctionInfo(name, TriggerKind.TIMER, null, Set.of(), null, timer.schedule());
    return new FunctionDefinition(info, method, null, false, sources);
  }

  private static ParameterSource sourceOf(Parameter parameter, String name, String where) {
    Class<?> type = parameter.getType();
    if (parameter.isAnnotationPresent(HttpTrigger.class)) {
      if (type != HttpRequestMessage.class) {
        throw new IllegalStateException(
            "Function "
                + name
                + " ("
                + where
                + "): the @HttpTrigger parameter must be "
                + "an HttpRequestMessage<T>, not "
                + parameter.getParameterizedType().getTypeName());
      }
      return new ParameterSource.HttpRequest();
    }
    if (parameter.isAnnotationPresent(TimerTrigger.class)) {
      if (type != String.class) {
        throw new IllegalStateException(
            "Function "
                + name
                + " ("
                + where
                + "): the @TimerTrigger parameter must be a String (JSON timer info)");
      }
      return new ParameterSource.TimerInfo();
    }
    if (parameter.isAnnotationPresent(QueueTrigger.class)) {
      if (type != String.class) {
        throw new IllegalStateException(
            "Function "
                + name
                + " ("
                + where
                + "): the @QueueTrigger parameter must be a String (the message's text) locally");
      }
      return new ParameterSource.QueueMessage();
    }
    if (type == ExecutionContext.class) {
      return new ParameterSource.Context();
    }
    if (parameter.isAnnotationPresent(BindingName.class)) {
      if (type != String.class) {
        throw new IllegalStateException(
            "Function "
                + name
                + " ("
                + where
                + "): @BindingName(\""
                + parameter.getAnnotation(BindingName.class).value()
                + "\") must be a String locally");
      }
      return new ParameterSource.Binding(parameter.getAnnotation(BindingName.class).value());
    }
    throw new IllegalStateException(
        "Function "
            + name
            + " ("
            + where
            + "): cannot bind parameter "
            + parameter.getName()
            + " of type "
            + parameter.getParameterizedType().getTypeName()
            + "; the local host binds HttpRequestMessage, ExecutionContext, @BindingName String,"
            + " timer info and queue messages");
  }

  private static BodyType bodyTypeOf(Type requestType, String name, String where) {
    Type argument =
        requestType instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
    BodyType bodyType = argument == null ? null : BodyType.of(argument);
    if (bodyType == null) {
      throw new IllegalStateException(
          "Function "
              + name
              + " ("
              + where
              + "): unsupported request type "
              + requestType.getTypeName()
              + "; use HttpRequestMessage<Optional<String>>, <String>, "
              + "<Optional<byte[]>> or <byte[]>");
    }
    return bodyType;
  }

  private static void rejectDuplicateNames(List<FunctionDefinition> found) {
    Map<String, FunctionDefinition> byName = new HashMap<>();
    for (FunctionDefinition definition : found) {
      FunctionDefinition previous = byName.putIfAbsent(definition.name().toLowerCase(), definition);
      if (previous != null) {
        throw new IllegalStateException(
            "Two functions are named "
                + definition.name()
                + ": "
                + previous.method()
                + " and "
                + definition.method());
      }
    }
  }
}
