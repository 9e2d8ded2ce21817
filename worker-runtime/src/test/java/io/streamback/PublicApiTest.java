package io.streamback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API packages (every {@code io.streamback} package outside {@code io.streamback.internal})
 * never show an internal type to their callers: no public or protected signature of a public type
 * (supertypes, constructors, methods, fields, with their type arguments and exceptions) names one.
 * Otherwise a user could not call that member without depending on what may change in any release.
 * On the module path, module-info hides the internal packages as well.
 */
class PublicApiTest {

    static final String INTERNAL = "io.streamback.internal.";

    @Test
    void noPublicSignatureOfTheApiNamesAnInternalType() throws Exception {
        List<Class<?>> api = apiTypes();
        assertThat(api).contains(Streamback.class, io.streamback.listener.Message.class,
                io.streamback.feedback.FeedbackLane.class);

        List<String> leaks = new ArrayList<>();
        for (Class<?> type : api) {
            List<Type> supertypes = new ArrayList<>(List.of(type.getGenericInterfaces()));
            supertypes.add(type.getGenericSuperclass());
            for (TypeVariable<?> variable : type.getTypeParameters()) {
                supertypes.addAll(List.of(variable.getBounds()));
            }
            leaks.addAll(leaks(type.getName(), supertypes));
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (visible(constructor.getModifiers())) {
                    leaks.addAll(leaks(constructor.toGenericString(), signature(constructor)));
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (visible(method.getModifiers()) && !method.isSynthetic()) {
                    List<Type> types = signature(method);
                    types.add(method.getGenericReturnType());
                    leaks.addAll(leaks(method.toGenericString(), types));
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers())) {
                    leaks.addAll(leaks(field.toGenericString(), List.of(field.getGenericType())));
                }
            }
        }
        assertThat(leaks).as("API signatures naming internal types").isEmpty();
    }

    /** For applications on the module path, module-info exports exactly the API packages. */
    @Test
    void theModuleExportsTheApiPackagesOnly() throws Exception {
        Set<String> apiPackages = new TreeSet<>();
        apiTypes().forEach(type -> apiPackages.add(type.getPackageName()));

        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        assertThat(module.exports()).allSatisfy(exports -> assertThat(exports.isQualified()).isFalse());
        assertThat(module.exports()).extracting(ModuleDescriptor.Exports::source)
                .containsExactlyInAnyOrderElementsOf(apiPackages);
    }

    @Test
    void theCheckFindsAnInternalTypeInsideTypeArguments() throws NoSuchMethodException {
        Type leaking = PublicApiTest.class.getDeclaredMethod("leakingSignature").getGenericReturnType();
        assertThat(leaks("leakingSignature", List.of(leaking)))
                .containsExactly("leakingSignature names io.streamback.internal.wire.MainRecord");
    }

    private static Optional<List<? extends io.streamback.internal.wire.MainRecord>> leakingSignature() {
        return Optional.empty();
    }

    /** Public types of the API packages, nested ones included when every enclosing type is public. */
    private static List<Class<?>> apiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = classes();
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classes.resolve("io/streamback"))) {
            for (Path file : walk.filter(path -> path.toString().endsWith(".class")).sorted().toList()) {
                String name = classes.relativize(file).toString()
                        .replace(file.getFileSystem().getSeparator(), ".").replaceAll("\\.class$", "");
                if (name.startsWith(INTERNAL) || name.equals("module-info")) {
                    continue;
                }
                Class<?> type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                if (accessible(type)) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    private static Path classes() throws URISyntaxException {
        return Path.of(Streamback.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static boolean accessible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static List<Type> signature(Executable executable) {
        List<Type> types = new ArrayList<>(List.of(executable.getGenericParameterTypes()));
        types.addAll(List.of(executable.getGenericExceptionTypes()));
        for (TypeVariable<?> variable : executable.getTypeParameters()) {
            types.addAll(List.of(variable.getBounds()));
        }
        return types;
    }

    private static List<String> leaks(String member, List<Type> types) {
        Set<Class<?>> named = new HashSet<>();
        types.forEach(type -> collect(type, named, new HashSet<>()));
        return named.stream()
                .filter(type -> type.getName().startsWith(INTERNAL))
                .map(type -> member + " names " + type.getName())
                .toList();
    }

    private static void collect(Type type, Set<Class<?>> named, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c && c.isArray()) {
            collect(c.getComponentType(), named, seen);
        } else if (type instanceof Class<?> c) {
            named.add(c);
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), named, seen);
            collect(p.getOwnerType(), named, seen);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, named, seen);
            }
        } else if (type instanceof WildcardType w) {
            List.of(w.getUpperBounds()).forEach(bound -> collect(bound, named, seen));
            List.of(w.getLowerBounds()).forEach(bound -> collect(bound, named, seen));
        } else if (type instanceof GenericArrayType a) {
            collect(a.getGenericComponentType(), named, seen);
        } else if (type instanceof TypeVariable<?> v) {
            List.of(v.getBounds()).forEach(bound -> collect(bound, named, seen));
        }
    }
}
