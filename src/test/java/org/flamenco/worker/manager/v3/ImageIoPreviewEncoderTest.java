package org.flamenco.worker.manager.v3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.NodeList;

/** Previews from real generated images (protocol-v3.md §7). */
class ImageIoPreviewEncoderTest {
    @TempDir
    Path dir;
    private final ImageIoPreviewEncoder encoder = new ImageIoPreviewEncoder();

    private Path image(String format, int type, String name) throws IOException {
        BufferedImage img = new BufferedImage(64, 48, type);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, new Color(x * 4, y * 5, 200).getRGB());
            }
        }
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(img, format, file.toFile())).as("writer for " + format).isTrue();
        return file;
    }

    private static BufferedImage decode(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    @Test
    void png_becomesAFullSizeJpeg() throws Exception {
        byte[] jpeg = encoder.jpeg(image("png", BufferedImage.TYPE_INT_ARGB, "frame.png")).orElseThrow();

        assertThat(jpeg).startsWith((byte) 0xFF, (byte) 0xD8);
        BufferedImage back = decode(jpeg);
        assertThat(back.getWidth()).isEqualTo(64);
        assertThat(back.getHeight()).isEqualTo(48);
        Color c = new Color(back.getRGB(40, 20));
        assertThat(c.getBlue()).isBetween(185, 215);
        assertThat(c.getRed()).isBetween(145, 175);
    }

    @Test
    void jpegAndTiff_areReencoded() throws Exception {
        assertThat(encoder.jpeg(image("jpeg", BufferedImage.TYPE_INT_RGB, "frame.jpg"))).isPresent();
        assertThat(encoder.jpeg(image("tiff", BufferedImage.TYPE_INT_RGB, "frame.tif"))).isPresent();
    }

    @Test
    void jpegIsWrittenWithQuality85() throws Exception {
        byte[] jpeg = encoder.jpeg(image("png", BufferedImage.TYPE_INT_RGB, "frame.png")).orElseThrow();

        assertThat(firstQuantTableValue(jpeg)).isEqualTo(5); // the IJG table scaled for quality 85 starts at 5
    }

    @Test
    void otherFormats_areSkipped() throws Exception {
        Path exr = Files.write(dir.resolve("frame.exr"), new byte[] {0x76, 0x2f, 0x31, 0x01, 2, 0, 0, 0, 0, 0});
        Path bmp = image("bmp", BufferedImage.TYPE_INT_RGB, "frame.bmp");

        assertThat(encoder.jpeg(exr)).isEmpty();
        assertThat(encoder.jpeg(bmp)).isEmpty();
    }

    @Test
    void missingOrDamagedFile_isAnIoError() throws Exception {
        Path png = image("png", BufferedImage.TYPE_INT_RGB, "frame.png");
        byte[] head = new byte[60];
        System.arraycopy(Files.readAllBytes(png), 0, head, 0, head.length);
        Path damaged = Files.write(dir.resolve("damaged.png"), head);

        assertThatThrownBy(() -> encoder.jpeg(dir.resolve("nope.png"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> encoder.jpeg(damaged)).isInstanceOf(IOException.class);
    }

    @Test
    void imageBeyondTheHeapBudget_orJpegBeyondTheLimit_isSkipped() throws Exception {
        Path png = image("png", BufferedImage.TYPE_INT_RGB, "frame.png");

        assertThat(new ImageIoPreviewEncoder(64 * 48 * 4, Integer.MAX_VALUE).jpeg(png)).isEmpty();
        assertThat(new ImageIoPreviewEncoder(Long.MAX_VALUE, 100).jpeg(png)).isEmpty();
        assertThat(new ImageIoPreviewEncoder(Long.MAX_VALUE, 1 << 20).jpeg(png)).isPresent();
    }

    /** The first value of the first quantisation table in the JPEG's metadata. */
    private static int firstQuantTableValue(byte[] jpeg) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = readers.next();
            reader.setInput(in);
            IIOMetadata meta = reader.getImageMetadata(0);
            NodeList tables = ((org.w3c.dom.Element) meta.getAsTree("javax_imageio_jpeg_image_1.0"))
                    .getElementsByTagName("dqtable");
            Object table = ((javax.imageio.metadata.IIOMetadataNode) tables.item(0)).getUserObject();
            return ((javax.imageio.plugins.jpeg.JPEGQTable) table).getTable()[0];
        }
    }
}
