package org.flamenco.worker.command.blender;

import java.util.ArrayList;
import java.util.List;

import org.flamenco.worker.command.PythonText;

/**
 * The Python scripts the worker generates for Blender (commands.md §3.14, §3.16, §3.17, §4.5). Values are embedded
 * as Python literals ({@link PythonText#repr}), so paths with quotes or backslashes cannot break the script.
 */
public final class BlenderScripts {
    /** Placeholders: input1, input2 (Python literals), weight1, weight2 (integers). */
    private static final String COMPOSITOR_SETUP = """
            import bpy
            scene = bpy.context.scene
            scene.render.engine = 'BLENDER_WORKBENCH'
            scene.use_nodes = True
            tree = scene.node_tree
            tree.nodes.clear()
            def image_node(path):
                node = tree.nodes.new('CompositorNodeImage')
                node.image = bpy.data.images.load(path, check_existing=False)
                return node
            def value_node(name, value):
                node = tree.nodes.new('CompositorNodeValue')
                node.name = node.label = name
                node.outputs[0].default_value = value
                return node
            def mix_node(blend_type, a, b):
                node = tree.nodes.new('CompositorNodeMixRGB')
                node.blend_type = blend_type
                node.use_clamp = False
                node.use_alpha = False
                tree.links.new(a, node.inputs[1])
                tree.links.new(b, node.inputs[2])
                return node
            img1 = image_node(%s)
            img2 = image_node(%s)
            w1 = value_node('weight1', %d)
            w2 = value_node('weight2', %d)
            total = tree.nodes.new('CompositorNodeMath')
            total.operation = 'ADD'
            total.use_clamp = False
            tree.links.new(w1.outputs[0], total.inputs[0])
            tree.links.new(w2.outputs[0], total.inputs[1])
            mul1 = mix_node('MULTIPLY', img1.outputs['Image'], w1.outputs[0])
            mul2 = mix_node('MULTIPLY', img2.outputs['Image'], w2.outputs[0])
            added = mix_node('ADD', mul1.outputs[0], mul2.outputs[0])
            divided = mix_node('DIVIDE', added.outputs[0], total.outputs[0])
            composite = tree.nodes.new('CompositorNodeComposite')
            composite.use_alpha = True
            tree.links.new(divided.outputs[0], composite.inputs['Image'])
            render = scene.render
            render.resolution_x, render.resolution_y = img1.image.size
            render.resolution_percentage = 100
            render.use_compositing = True
            render.use_sequencer = False
            render.image_settings.file_format = 'OPEN_EXR'
            render.image_settings.color_mode = 'RGBA'
            render.image_settings.color_depth = '32'
            render.image_settings.exr_codec = 'ZIP'
            """;

    private BlenderScripts() {
    }

    /** §3.14: the mixdown script, lines joined with {@code \n}, no trailing newline. */
    public static String audioMixdown(AudioSettings s) {
        List<String> lines = new ArrayList<>();
        lines.add("import bpy");
        s.frameStart().ifPresent(f -> lines.add("bpy.context.scene.frame_start = " + f));
        s.frameEnd().ifPresent(f -> lines.add("bpy.context.scene.frame_end = " + f));
        lines.add("bpy.ops.sound.mixdown(filepath=" + PythonText.repr(s.render().renderOutput())
                + ", codec='FLAC', container='FLAC', accuracy=128)");
        lines.add("bpy.ops.wm.quit_blender()");
        return String.join("\n", lines);
    }

    /** §3.16: merge two EXR files into {@code <tempDir>/merged0001.exr}. */
    public static String mergeFiles(MergeSettings s, String tempDir) {
        return compositorSetup(s)
                + "scene.frame_start = 1\n"
                + "scene.frame_end = 1\n"
                + "scene.frame_set(1)\n"
                + "bpy.ops.render.render()\n"
                + "bpy.data.images['Render Result'].save_render(filepath="
                + PythonText.repr(tempDir + "/merged0001.exr") + ")\n";
    }

    /** §3.17: merge two EXR sequences frame by frame, rendering the animation straight to {@code output}. */
    public static String mergeSequence(MergeSequenceSettings s) {
        long start = s.frameStart();
        return compositorSetup(s.merge())
                + "for node in (img1, img2):\n"
                + "    node.image.source = 'SEQUENCE'\n"
                + "    node.frame_duration = " + s.frameCount() + "\n"
                + "    node.frame_start = " + start + "\n"
                + "    node.frame_offset = " + (start - 1) + "\n"
                + "scene.frame_start = " + start + "\n"
                + "scene.frame_end = " + s.frameEnd() + "\n"
                + "render.filepath = " + PythonText.repr(s.merge().output()) + "\n"
                + "bpy.ops.render.render(animation=True)\n";
    }

    /**
     * The compositor of the original {@code merge-exr.blend}, built in the default scene: colour =
     * (image1 × weight1 + image2 × weight2) ÷ (weight1 + weight2), alpha from image1 (mix nodes keep the alpha of
     * their first input), no clamping; render size = image1's size at 100 %; 32-bit RGBA OpenEXR with ZIP.
     */
    private static String compositorSetup(MergeSettings s) {
        return COMPOSITOR_SETUP.formatted(PythonText.repr(s.input1()), PythonText.repr(s.input2()), s.weight1(),
                s.weight2());
    }
}
