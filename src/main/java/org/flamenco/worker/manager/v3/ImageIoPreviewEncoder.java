package org.flamenco.worker.manager.v3;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PreviewEncoder} of protocol-v3.md §7 with the JDK's ImageIO (no new dependency): PNG, JPEG and TIFF
 * are decoded, flattened to RGB (transparency over black, as the Go encoder does) and re-encoded as JPEG quality
 * 85 at full size; any other format (EXR, …) is skipped with a debug line. An image too large to decode within
 * the heap budget, or whose JPEG would exceed the Manager's 25 MiB, is skipped too. Thread-safe: no shared state.
 */
public final class ImageIoPreviewEncoder implements PreviewEncoder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageIoPreviewEncoder.class);
    private static final Set<String> DECODED = Set.of("png", "jpeg", "jpg", "tiff", "tif");
    private static final float QUALITY = 0.85f;
    /** Bytes per pixel held while converting: the decoded source (up to 8) plus the RGB copy (4). */
    private static final long BYTES_PER_PIXEL = 12;

    private final long heapBudgetBytes;
    private final int maxBytes;

    /** With half of this JVM's maximum heap as the decoding budget and the Manager's limit. */
    public ImageIoPreviewEncoder() {
        this(Runtime.getRuntime().maxMemory() / 2, V3ManagerApi.MAX_PREVIEW_BYTES);
    }

    /**
     * @param heapBudgetBytes images needing more memory than this to convert are skipped
     * @param maxBytes        a JPEG larger than this is not returned
     */
    public ImageIoPreviewEncoder(long heapBudgetBytes, int maxBytes) {
        this.heapBudgetBytes = heapBudgetBytes;
        this.maxBytes = maxBytes;
    }

    @Override
    public Optional<byte[]> jpeg(Path image) throws IOException {
        if (!Files.isRegularFile(image)) {
            throw new IOException("no such file: " + image);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(image.toFile())) {
            if (in == null) {
                throw new IOException("cannot read " + image);
            }
            Optional<ImageReader> reader = reader(in);
            if (reader.isEmpty()) {
                LOG.debug("No preview of {}: not PNG, JPEG or TIFF", image);
                return Optional.empty();
            }
            try {
                return encode(image, reader.get(), in);
            } catch (RuntimeException e) {
                throw new IOException("cannot decode " + image + ": " + e, e); // some decoders throw unchecked
            } finally {
                reader.get().dispose();
            }
        }
    }

    private static Optional<ImageReader> reader(ImageInputStream in) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        while (readers.hasNext()) {
            ImageReader r = readers.next();
            if (DECODED.contains(r.getFormatName().toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    private Optional<byte[]> encode(Path image, ImageReader reader, ImageInputStream in) throws IOException {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels * BYTES_PER_PIXEL > heapBudgetBytes) {
            LOG.info("No preview of {}: {}x{} pixels need more memory than the {} MiB allowed", image,
                    reader.getWidth(0), reader.getHeight(0), heapBudgetBytes >> 20);
            return Optional.empty();
        }
        BufferedImage rgb = rgb(reader.read(0));
        byte[] jpeg = write(rgb);
        if (jpeg.length > maxBytes) {
            LOG.info("No preview of {}: its JPEG has {} bytes, the Manager takes at most {}", image, jpeg.length,
                    maxBytes);
            return Optional.empty();
        }
        return Optional.of(jpeg);
    }

    /** A copy without alpha (JPEG has none), transparent pixels over black. */
    private static BufferedImage rgb(BufferedImage source) {
        if (source.getType() == BufferedImage.TYPE_INT_RGB) {
            return source;
        }
        BufferedImage rgb = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(source, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    private static byte[] write(BufferedImage rgb) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
