package dev.leakyspark.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** README.md stays a front door, and it and docs/ link only to pages and headings that exist. */
class DocsTest {

  private static final Path ROOT = Path.of(System.getProperty("user.dir"));
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#+ (.*)$");

  @Test
  void theReadmeIsShort() throws IOException {
    int lines = Files.readAllLines(ROOT.resolve("README.md")).size();
    assertTrue(lines <= 300, "README.md has " + lines + " lines; move detail to docs/");
  }

  @Test
  void everyRelativeLinkReachesAPageAndHeading() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      Matcher m = LINK.matcher(Files.readString(page));
      while (m.find()) {
        String link = m.group(1);
        if (link.startsWith("http://") || link.startsWith("https://")) {
          continue;
        }
        int hash = link.indexOf('#');
        String file = hash < 0 ? link : link.substring(0, hash);
        Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(target)) {
          broken.add(ROOT.relativize(page) + ": " + link + " (no such file)");
        } else if (hash >= 0 && !anchors(target).contains(link.substring(hash + 1))) {
          broken.add(ROOT.relativize(page) + ": " + link + " (no such heading)");
        }
      }
    }
    assertEquals(List.of(), broken);
  }

  @Test
  void noPageCitesAnIssueNumber() throws IOException {
    List<String> found = new ArrayList<>();
    for (Path page : pages()) {
      Matcher m = Pattern.compile("(?i)\\bissues? #?\\d+").matcher(Files.readString(page));
      while (m.find()) {
        found.add(ROOT.relativize(page) + ": " + m.group());
      }
    }
    assertEquals(List.of(), found);
  }

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** Heading anchors as GitHub makes them: lower case, punctuation dropped, spaces to hyphens. */
  private static Set<String> anchors(Path page) throws IOException {
    Set<String> anchors = new HashSet<>();
    boolean code = false;
    for (String line : Files.readAllLines(page)) {
      code ^= line.trim().startsWith("```");
      Matcher m = HEADING.matcher(line);
      if (!code && m.matches()) {
        anchors.add(m.group(1).trim().toLowerCase(Locale.ROOT).replaceAll("[^\\w\\- ]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }
}
